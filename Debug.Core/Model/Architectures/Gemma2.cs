using Debug.Core.Interventions;
using Debug.Core.Model.Blocks;
using Debug.Core.Model.Loading;
using static TorchSharp.torch;

namespace Debug.Core.Model.Architectures;

/// <summary>
/// Gemma2ForCausalLM: embeddings scaled by sqrt(hidden) in the compute dtype; (1 + w) RMSNorms before and after both
/// attention and MLP (the post-norms act on the sub-layer output before the residual add); attention scaled by
/// query_pre_attn_scalar^-1/2 with tanh soft-capping of the logits; a sliding window on the layers
/// <c>layer_types</c> marks "sliding_attention"; tanh soft-capping of the final logits; tied embeddings.
/// </summary>
internal sealed class Gemma2 : CausalLanguageModel
{
    private sealed record Layer(RmsNorm InputNorm, Attention Attn, RmsNorm PostAttentionNorm,
        RmsNorm PreFeedforwardNorm, GatedMlp Mlp, RmsNorm PostFeedforwardNorm);

    private readonly Tensor _embed;
    private readonly Layer[] _layers;
    private readonly RmsNorm _norm;
    private readonly Rotary _rotary;
    private readonly double _embedScale;

    public Gemma2(ModelConfig c, WeightLoader w) : base(c, w.Dtype)
    {
        int d = c.HiddenSize, hd = c.HeadDim;
        _embedScale = Math.Sqrt(d);
        _rotary = new Rotary(c.Rope, hd, c.MaxPositionEmbeddings, w.RopeFrequencyDtype, w.Device);
        _embed = w.Take("model.embed_tokens.weight", c.VocabSize, d);
        _layers = new Layer[c.NumLayers];
        for (int i = 0; i < c.NumLayers; i++)
        {
            var p = $"model.layers.{i}";
            var (qkv, o) = Attention.LoadProjections(w, p + ".self_attn", d, c.NumAttentionHeads, c.NumKeyValueHeads, hd,
                c.AttentionBias, c.AttentionBias);
            bool sliding = c.IsSlidingLayer(i); // the loader fills layer_types for transformers 4 configs
            var attn = new Attention
            {
                InProjections = qkv, O = o, Rotary = _rotary, Layer = i,
                Heads = c.NumAttentionHeads, KvHeads = c.NumKeyValueHeads, HeadDim = hd,
                Scale = 1.0 / Math.Sqrt(c.QueryPreAttnScalar ?? hd), Softcap = c.AttnLogitSoftcapping, Sliding = sliding,
            };
            _layers[i] = new Layer(
                RmsNorm.Load(w, p + ".input_layernorm", d, c.NormEps, gemmaStyle: true), attn,
                RmsNorm.Load(w, p + ".post_attention_layernorm", d, c.NormEps, gemmaStyle: true),
                RmsNorm.Load(w, p + ".pre_feedforward_layernorm", d, c.NormEps, gemmaStyle: true),
                GatedMlp.Load(w, p + ".mlp", d, c.IntermediateSize, false, c.HiddenAct),
                RmsNorm.Load(w, p + ".post_feedforward_layernorm", d, c.NormEps, gemmaStyle: true));
        }
        _norm = RmsNorm.Load(w, "model.norm", d, c.NormEps, gemmaStyle: true);
        if (!c.TieWordEmbeddings) throw new ModelArchitectureException("gemma2 with untied embeddings is not supported");
    }

    private protected override Rotary Rotary => _rotary;

    private protected override int? SlidingWindow => Config.SlidingWindow;

    private protected override Tensor Embed(Tensor ids, Tensor positions, HookSet? hooks)
    {
        // HF multiplies by a tensor of sqrt(hidden) created in the hidden states' dtype, so bf16 rounds the factor.
        using var scale = tensor(_embedScale, dtype: ComputeDtype, device: Device);
        var x = _embed.index_select(0, ids.flatten()).view(ids.shape[0], ids.shape[1], -1) * scale;
        return hooks is null ? x : hooks.Apply(HookPoint.Embed, x);
    }

    private protected override Tensor Block(int i, Tensor x, AttentionContext ctx, HookSet? hooks)
    {
        var l = _layers[i];
        var attnOut = l.Attn.Forward(l.InputNorm.Forward(x), ctx, hooks);
        if (hooks is not null) attnOut = hooks.Apply(HookPoint.AttnOut(i), attnOut);
        x = x.Plus(l.PostAttentionNorm.Forward(attnOut));
        var mlpOut = l.Mlp.Forward(l.PreFeedforwardNorm.Forward(x));
        if (hooks is not null) mlpOut = hooks.Apply(HookPoint.MlpOut(i), mlpOut);
        return x.Plus(l.PostFeedforwardNorm.Forward(mlpOut));
    }

    private protected override Tensor FinalNorm(Tensor x) => _norm.Forward(x);

    private protected override Tensor Unembed(Tensor x)
    {
        var logits = Unembedding.Project(x, _embed);
        if (Config.FinalLogitSoftcapping is not { } cap) return logits;
        return logits.Over(cap).tanh().Times(cap);
    }
}
