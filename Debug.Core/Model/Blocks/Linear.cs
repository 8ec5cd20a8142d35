using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

/// <summary>y = x Wᵀ + b with W stored [out, in] as nn.Linear does (GPT-2's Conv1D weights are transposed at load).</summary>
internal sealed class Linear(Tensor weight, Tensor? bias)
{
    public Tensor Weight { get; } = weight;
    public Tensor? Bias { get; } = bias;

    public Tensor Forward(Tensor x) => nn.functional.linear(x, Weight, Bias);

    public static Linear Load(WeightLoader w, string name, long inFeatures, long outFeatures, bool bias) =>
        new(w.Take(name + ".weight", outFeatures, inFeatures), w.TakeIf(bias, name + ".bias", outFeatures));
}
