using TorchSharp;
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

    /// <summary>
    /// Set for a packed forward ([1, N, d], several resumed forwards end to end): each segment's own masks and cache;
    /// <see cref="Cos"/>/<see cref="Sin"/> are then per token, [1, N, 1, D].
    /// </summary>
    public IReadOnlyList<AttentionSegment>? Segments { get; init; }

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
            // The window counts positions, not columns: a batch whose shared prefix is followed by left-padded rows
            // (GreedyGenerator.GenerateSharingPrefix) has padding between a row's tokens. For left padding alone the
            // two agree on every visible key.
            Tensor inWindow;
            if (mask2d is null) inWindow = k.gt(q.Minus((long)w)).unsqueeze(0).unsqueeze(0);
            else
            {
                var pos = mask2d.to_type(ScalarType.Int64).cumsum(1).Minus(1L);                                  // [B, total]
                inWindow = pos.unsqueeze(1).gt(pos.narrow(1, past, t).unsqueeze(2).Minus((long)w)).unsqueeze(1); // [B, 1, T, total]
            }
            sliding = zeros(allowed.shape, dtype, device: device).FillMasked(allowed.bitwise_and(inWindow).bitwise_not(), min);
        }
        return (full, sliding);
    }
}
