using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

/// <summary>The gated MLP of Llama, Qwen and Gemma: down(act(gate(x)) * up(x)).</summary>
internal sealed class GatedMlp(Linear gate, Linear up, Linear down, Func<Tensor, Tensor> act)
{
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down.Forward(act(gate.Forward(x)) * up.Forward(x)).MoveToOuterDisposeScope();
    }

    public static GatedMlp Load(WeightLoader w, string name, long hidden, long inner, bool bias, string act) =>
        new(Linear.Load(w, name + ".gate_proj", hidden, inner, bias), Linear.Load(w, name + ".up_proj", hidden, inner, bias),
            Linear.Load(w, name + ".down_proj", inner, hidden, bias), Activations.Get(act));
}

/// <summary>The two-layer MLP of GPT-2: c_proj(act(c_fc(x))).</summary>
internal sealed class PlainMlp(Linear fc, Linear proj, Func<Tensor, Tensor> act)
{
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return proj.Forward(act(fc.Forward(x))).MoveToOuterDisposeScope();
    }

    public PlainMlp(Linear fc, Linear proj, string act) : this(fc, proj, Activations.Get(act)) { }
}
