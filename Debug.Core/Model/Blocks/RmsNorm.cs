using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

/// <summary>
/// RMSNorm computed in float32 whatever the compute dtype, as HF does. Llama/Qwen scale by w after casting back;
/// Gemma scales by (1 + w) before casting back, so its weights are stored as offsets from one.
/// </summary>
internal sealed class RmsNorm(Tensor weight, double eps, bool gemmaStyle)
{
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var xf = x.to_type(ScalarType.Float32);
        var normed = xf * rsqrt(xf.Power(2).mean([-1L], keepdim: true).Plus(eps));
        var y = gemmaStyle
            ? (normed * weight.to_type(ScalarType.Float32).Plus(1.0)).to_type(x.dtype)
            : weight * normed.to_type(x.dtype);
        return y.MoveToOuterDisposeScope();
    }

    public static RmsNorm Load(WeightLoader w, string name, long dim, double eps, bool gemmaStyle = false) =>
        new(w.Take(name + ".weight", dim), eps, gemmaStyle);
}
