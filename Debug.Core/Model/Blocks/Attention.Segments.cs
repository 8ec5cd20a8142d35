using Debug.Core.Interventions;
using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

// The patch sweep's packed layout: x is [1, N, d], the rows of several resumed forwards laid end to end (segment s
// holds Rows x T tokens from Offset on, its own positions, prefix cache and masks). The projections, norms and
// rotary run once over all N tokens, so their GEMMs are large however short each forward is; only the attention
// itself runs per segment.
internal sealed partial class Attention
{
    private Tensor ForwardSegments(Tensor x, AttentionContext ctx, HookSet? hooks)
    {
        if (hooks?.NeedsPattern(Layer) ?? false)
            throw new NotSupportedException($"layer {Layer}: attention pattern hooks and knockouts are not supported in a packed forward");
        using var scope = NewDisposeScope();
        long n = x.shape[1];
        var qkv = InProjections.Length == 1
            ? InProjections[0].Forward(x).split([(long)Heads * HeadDim, (long)KvHeads * HeadDim, (long)KvHeads * HeadDim], -1)
            : [InProjections[0].Forward(x), InProjections[1].Forward(x), InProjections[2].Forward(x)];
        var q = qkv[0].view(1, n, Heads, HeadDim);
        var k = qkv[1].view(1, n, KvHeads, HeadDim);
        var v = qkv[2].view(1, n, KvHeads, HeadDim);
        if (QNorm is not null) q = QNorm.Forward(q);
        if (KNorm is not null) k = KNorm.Forward(k);
        if (Rotary is not null)
        {
            // cos/sin are [1, N, 1, D] here: each token's own angle, broadcast over the heads.
            q = Rotary.Apply(q, ctx.Cos!, ctx.Sin!);
            k = Rotary.Apply(k, ctx.Cos!, ctx.Sin!);
        }
        var zs = new List<Tensor>(ctx.Segments!.Count);
        foreach (var s in ctx.Segments)
        {
            long m = s.Rows * s.T;
            var qs = q.narrow(1, s.Offset, m).reshape(s.Rows, s.T, Heads, HeadDim).transpose(1, 2);
            var ks = k.narrow(1, s.Offset, m).reshape(s.Rows, s.T, KvHeads, HeadDim).transpose(1, 2);
            var vs = v.narrow(1, s.Offset, m).reshape(s.Rows, s.T, KvHeads, HeadDim).transpose(1, 2);
            if (s.Context.Cache is not null) (ks, vs) = s.Context.Cache.Append(Layer, ks, vs);
            var mask = Sliding ? s.Context.SlidingMask! : s.Context.FullMask;
            var z = Attend(qs, RepeatKv(ks), RepeatKv(vs), mask, hooks);
            zs.Add(z.transpose(1, 2).reshape(1, m, Heads, HeadDim));
        }
        var all = zs.Count == 1 ? zs[0] : cat(zs, 1);
        if (hooks is not null) all = hooks.Apply(HookPoint.AttnZ(Layer), all, Layer);
        return O.Forward(all.reshape(1, n, Heads * HeadDim)).MoveToOuterDisposeScope();
    }
}
