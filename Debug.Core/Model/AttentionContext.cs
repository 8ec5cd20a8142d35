using static TorchSharp.torch;

namespace Debug.Core.Model;

/// <summary>
/// Per-forward inputs every attention layer shares: rotary cos/sin and additive masks [B, 1, T, past+T] that combine
/// causality, left padding and (for sliding layers) the window. Masked entries hold the dtype's most negative value,
/// as HF's eager path does, so a query row with no visible key gets a uniform (not NaN) softmax.
/// </summary>
internal sealed class AttentionContext
{
    public Tensor? Cos { get; init; }
    public Tensor? Sin { get; init; }
    public required Tensor FullMask { get; init; }
    public Tensor? SlidingMask { get; init; }
    public KvCache? Cache { get; init; }

    /// <summary>Builds masks for queries at absolute indices past..past+T-1 over keys 0..past+T-1.</summary>
    public static (Tensor Full, Tensor? Sliding) Masks(Tensor? mask2d, long batch, long past, long t, ScalarType dtype, int? window, Device device)
    {
        long total = past + t;
        var q = TensorMath.Range(past, total, device: device).unsqueeze(1);
        var k = TensorMath.Range(0, total, device: device).unsqueeze(0);
        var allowed = k.le(q).unsqueeze(0).unsqueeze(0); // [1, 1, T, total]
        // bitwise_* on bool tensors is logical_* (and, unlike logical_*, has a meta kernel: see MetaDeviceTests).
        if (mask2d is not null) allowed = allowed.bitwise_and(mask2d.to_type(ScalarType.Bool).view(batch, 1, 1, total));
        double min = dtype == ScalarType.BFloat16 ? -3.3895313892515355e38 : float.MinValue;
        var full = zeros(allowed.shape, dtype, device: device).FillMasked(allowed.bitwise_not(), min);
        Tensor? sliding = null;
        if (window is { } w)
        {
            var inWindow = k.gt(q.Minus((long)w)).unsqueeze(0).unsqueeze(0);
            sliding = zeros(allowed.shape, dtype, device: device).FillMasked(allowed.bitwise_and(inWindow).bitwise_not(), min);
        }
        return (full, sliding);
    }
}
