using Debug.Core.Interventions;
using static TorchSharp.torch;

namespace Debug.Core.Model;

// Pieces of Forward for the patch-sweep engine (same assembly), which resumes a forward at any block: patching
// (layer L, position p) cannot change blocks below L or positions before p, so a sweep reruns only blocks L.. for
// positions p.. of unpadded rows, attending to the clean run's keys and values for positions before p.
public abstract partial class CausalLanguageModel
{
    /// <summary>
    /// Attention inputs for queries at absolute positions <paramref name="past"/>..past+t-1 of unpadded rows, whose
    /// earlier positions are served by <paramref name="prefix"/> (a frozen cache, or null when past is 0).
    /// </summary>
    internal AttentionContext ResumeContext(long past, long t, KvCache? prefix)
    {
        var positionIds = TensorMath.Range(past, past + t, device: Device).unsqueeze(0);
        var (full, sliding) = AttentionContext.Masks(null, 1, past, t, ComputeDtype, SlidingWindow, Device);
        Tensor? cos = null, sin = null;
        if (Rotary is not null) (cos, sin) = Rotary.CosSin(positionIds, ComputeDtype);
        return new AttentionContext { Cos = cos, Sin = sin, FullMask = full, SlidingMask = sliding, Cache = prefix };
    }

    /// <summary>
    /// The context of a packed forward: <paramref name="segments"/> (each a <see cref="ResumeContext"/>, its row count
    /// and length) laid end to end in one sequence, in this order.
    /// </summary>
    internal static AttentionContext PackedContext(IReadOnlyList<(AttentionContext Context, int Rows, long T)> segments)
    {
        var list = new List<AttentionSegment>(segments.Count);
        long offset = 0;
        foreach (var (c, rows, t) in segments)
        {
            list.Add(new AttentionSegment(offset, rows, t, c));
            offset += rows * t;
        }
        Tensor? cos = null, sin = null;
        if (segments[0].Context.Cos is not null)
        {
            // [1, 1, t, D] per segment -> every row's copy, end to end: [1, N, 1, D].
            Tensor PerToken(Func<AttentionContext, Tensor> pick) => cat(segments.Select(s =>
            {
                var c = pick(s.Context);
                long dim = c.shape[^1];
                return c.view(1, s.T, dim).expand(s.Rows, s.T, dim).reshape(s.Rows * s.T, dim);
            }).ToList(), 0).unsqueeze(0).unsqueeze(2);
            cos = PerToken(c => c.Cos!);
            sin = PerToken(c => c.Sin!);
        }
        return new AttentionContext { Cos = cos, Sin = sin, FullMask = segments[0].Context.FullMask, Segments = list };
    }

    /// <summary>Block <paramref name="layer"/> on the residual stream <paramref name="x"/> [B, t, d].</summary>
    internal Tensor RunBlock(int layer, Tensor x, AttentionContext ctx, HookSet? hooks) => Block(layer, x, ctx, hooks);

    /// <summary>Float32 logits of final residual states <paramref name="x"/> [B, d_model] (final norm, unembedding).</summary>
    internal Tensor LogitsOfResidual(Tensor x) => Unembed(FinalNorm(x)).to_type(ScalarType.Float32);
}
