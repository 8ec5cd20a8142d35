using Debug.Core.Interventions;
using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

/// <summary>
/// Multi-head attention with grouped K/V heads, optional per-head q/k RMSNorm (Qwen3), rotary or no positions (GPT-2),
/// logit soft-capping and sliding windows (Gemma-2). Two paths: the fused SDPA kernel when nothing needs the weights,
/// and an explicit softmax(QKᵀ·scale + mask)·V when soft-capping, a pattern hook or a knockout does.
/// </summary>
internal sealed class Attention
{
    /// <summary>
    /// The q, k and v projections: three linears, or one whose output is q, k, v concatenated (GPT-2's c_attn).
    /// Llama-family checkpoints are not fused at load: stacking the weights costs more load time than the
    /// single GEMM saves over a typical session on this project's CPUs (measured: +3.5 s load, ~10% faster GEMMs).
    /// </summary>
    public required Linear[] InProjections { get; init; }
    public required Linear O { get; init; }
    public RmsNorm? QNorm { get; init; }
    public RmsNorm? KNorm { get; init; }
    public Rotary? Rotary { get; init; }
    public required int Layer { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required double Scale { get; init; }
    public double? Softcap { get; init; }
    public bool Sliding { get; init; }

    public Tensor Forward(Tensor x, AttentionContext ctx, HookSet? hooks)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        var qkv = InProjections.Length == 1
            ? InProjections[0].Forward(x).split([(long)Heads * HeadDim, (long)KvHeads * HeadDim, (long)KvHeads * HeadDim], -1)
            : [InProjections[0].Forward(x), InProjections[1].Forward(x), InProjections[2].Forward(x)];
        var q = qkv[0].view(b, t, Heads, HeadDim);
        var k = qkv[1].view(b, t, KvHeads, HeadDim);
        var v = qkv[2].view(b, t, KvHeads, HeadDim).transpose(1, 2);
        if (QNorm is not null) q = QNorm.Forward(q);
        if (KNorm is not null) k = KNorm.Forward(k);
        q = q.transpose(1, 2);
        k = k.transpose(1, 2);
        if (Rotary is not null)
        {
            q = Rotary.Apply(q, ctx.Cos!, ctx.Sin!);
            k = Rotary.Apply(k, ctx.Cos!, ctx.Sin!);
        }
        if (ctx.Cache is not null) (k, v) = ctx.Cache.Append(Layer, k, v);
        k = RepeatKv(k);
        v = RepeatKv(v);
        var mask = Sliding ? ctx.SlidingMask! : ctx.FullMask;

        Tensor z;
        bool explicitPath = Softcap is not null || Math.Abs(Scale - 1.0 / Math.Sqrt(HeadDim)) > 1e-12
            || (hooks?.NeedsPattern(Layer) ?? false);
        if (!explicitPath)
            z = nn.functional.scaled_dot_product_attention(q, k, v, mask, 0.0, false);
        else
        {
            var w = matmul(q, k.transpose(2, 3)).Times(Scale);
            if (Softcap is { } cap) w = w.Over(cap).tanh().Times(cap);
            w = softmax(w.Plus(mask), -1, ScalarType.Float32).to_type(q.dtype);
            if (hooks is not null) w = hooks.Apply(HookPoint.AttnPattern(Layer), w, Layer);
            z = matmul(w, v);
        }
        z = z.transpose(1, 2); // [B, T, H, D]
        if (hooks is not null) z = hooks.Apply(HookPoint.AttnZ(Layer), z, Layer);
        return O.Forward(z.reshape(b, t, Heads * HeadDim)).MoveToOuterDisposeScope();
    }

    // GQA: each K/V head serves Heads/KvHeads query heads; HF's repeat_kv order (kv head major).
    private Tensor RepeatKv(Tensor x)
    {
        if (KvHeads == Heads) return x;
        long b = x.shape[0], t = x.shape[2];
        int n = Heads / KvHeads;
        return x.unsqueeze(2).expand(b, KvHeads, n, t, HeadDim).reshape(b, Heads, t, HeadDim);
    }

    /// <summary>Loads q/k/v/o projections named the HF way (self_attn.q_proj ...).</summary>
    public static (Linear[] Qkv, Linear O) LoadProjections(WeightLoader w, string name, int hidden, int heads,
        int kvHeads, int headDim, bool bias, bool outputBias) =>
        ([Linear.Load(w, name + ".q_proj", hidden, heads * headDim, bias),
          Linear.Load(w, name + ".k_proj", hidden, kvHeads * headDim, bias),
          Linear.Load(w, name + ".v_proj", hidden, kvHeads * headDim, bias)],
         Linear.Load(w, name + ".o_proj", heads * headDim, hidden, outputBias));
}
