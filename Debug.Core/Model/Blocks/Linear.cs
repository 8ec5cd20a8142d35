using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

/// <summary>y = x Wᵀ + b with W stored [out, in] as nn.Linear does (GPT-2's Conv1D weights are transposed at load).</summary>
internal sealed class Linear(Tensor weight, Tensor? bias)
{
    public Tensor Weight { get; } = weight;
    public Tensor? Bias { get; } = bias;

    public Tensor Forward(Tensor x) => Apply(x, Weight, Bias);

    // Below this many input rows the weight conversion of the float32 route costs more than it saves.
    private const long Float32RouteMinRows = 64;

    /// <summary>
    /// x Wᵀ + b. A large bfloat16 product on the CPU is computed in float32 and rounded to bfloat16 once: libtorch's
    /// bf16 GEMM on CPUs without AVX512-BF16/AMX is ~5x slower than its fp32 GEMM (4.3 vs 22 GFLOPS for
    /// 512x1024 by 1024x3072 on the 2-core AVX2 dev machine, conversion included) and accumulates in fp32 and rounds
    /// once too, so the results agree up to summation order (1-ulp differences in ~0.015% of the outputs there).
    /// CPUs with bf16 units keep the native GEMM (<see cref="CpuBf16"/>).
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias = null)
    {
        if (Float32Shadow.Current?.Of(weight) is { } shadow)
        {
            using var shadowScope = NewDisposeScope();
            var z = nn.functional.linear(x.to_type(ScalarType.Float32), shadow, bias is null ? null : Float32Shadow.Current.Of(bias) ?? bias);
            return z.to_type(x.dtype).MoveToOuterDisposeScope();
        }
        if (weight.dtype != ScalarType.BFloat16 || weight.device_type != DeviceType.CPU || CpuBf16.HasNativeGemm
            || x.numel() / Math.Max(1, x.shape[^1]) < Float32RouteMinRows)
            return nn.functional.linear(x, weight, bias);
        using var scope = NewDisposeScope();
        var y = nn.functional.linear(x.to_type(ScalarType.Float32), weight.to_type(ScalarType.Float32), bias?.to_type(ScalarType.Float32));
        return y.to_type(ScalarType.BFloat16).MoveToOuterDisposeScope();
    }

    public static Linear Load(WeightLoader w, string name, long inFeatures, long outFeatures, bool bias) =>
        new(w.Take(name + ".weight", outFeatures, inFeatures), w.TakeIf(bias, name + ".bias", outFeatures));
}
