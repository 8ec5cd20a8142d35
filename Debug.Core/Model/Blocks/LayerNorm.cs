using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

/// <summary>LayerNorm with weight and bias (GPT-2).</summary>
internal sealed class LayerNorm(Tensor weight, Tensor bias, double eps)
{
    public Tensor Forward(Tensor x) => nn.functional.layer_norm(x, [weight.shape[0]], weight, bias, eps);

    public static LayerNorm Load(WeightLoader w, string name, long dim, double eps) =>
        new(w.Take(name + ".weight", dim), w.Take(name + ".bias", dim), eps);
}
