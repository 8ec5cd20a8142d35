using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

/// <summary>
/// Float32 copies of a bfloat16 model's matrices, made on first use and kept while the scope is open, for work that
/// runs the same weights thousands of times (a patch sweep). Without it, <see cref="Linear.Apply"/>'s float32 route
/// converts each weight on every call, and products of fewer than 64 rows stay on libtorch's slow CPU bf16 GEMM. With
/// it, every bf16 product is an fp32 GEMM of the same bf16 values rounded once to bf16, like the route it replaces.
/// One scope per thread; the copies cost four bytes per parameter, so <see cref="TryOpen"/> declines when they would
/// take more than a quarter of the memory available to the process.
/// </summary>
internal sealed class Float32Shadow : IDisposable
{
    [ThreadStatic] private static Float32Shadow? _current;

    private readonly Dictionary<Tensor, Tensor> _copies = new(ReferenceEqualityComparer.Instance);
    private readonly Float32Shadow? _outer;

    private Float32Shadow(Float32Shadow? outer) => _outer = outer;

    /// <summary>The open scope of this thread, if any.</summary>
    public static Float32Shadow? Current => _current;

    /// <summary>
    /// Opens a scope for <paramref name="model"/> when it computes in bfloat16 on a CPU without bf16 units
    /// (<see cref="CpuBf16"/>) and its float32 copies fit (null otherwise: callers then run as before).
    /// </summary>
    public static Float32Shadow? TryOpen(CausalLanguageModel model)
    {
        if (model.ComputeDtype != ScalarType.BFloat16 || CpuBf16.HasNativeGemm) return null;
        var weights = model.NamedWeights.Values;
        if (weights.Any(w => w.device_type != DeviceType.CPU)) return null;
        long bytes = weights.Where(w => w.dim() == 2).Sum(w => w.numel()) * sizeof(float);
        if (bytes > GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4) return null;
        return _current = new Float32Shadow(_current);
    }

    /// <summary>The float32 copy of <paramref name="weight"/> (made now if new), or null for non-bf16 tensors.</summary>
    public Tensor? Of(Tensor weight)
    {
        if (weight.dtype != ScalarType.BFloat16) return null;
        if (!_copies.TryGetValue(weight, out var copy))
        {
            copy = weight.to_type(ScalarType.Float32).DetachFromDisposeScope();
            _copies[weight] = copy;
        }
        return copy;
    }

    /// <summary>Frees the copies and restores the enclosing scope.</summary>
    public void Dispose()
    {
        foreach (var copy in _copies.Values) copy.Dispose();
        _copies.Clear();
        if (ReferenceEquals(_current, this)) _current = _outer;
    }
}
