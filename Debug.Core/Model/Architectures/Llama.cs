using Debug.Core.Interventions;
using Debug.Core.Model.Blocks;
using Debug.Core.Model.Loading;
using static TorchSharp.torch;

namespace Debug.Core.Model.Architectures;

/// <summary>
/// LlamaForCausalLM, and the base of the architectures that differ from it only in biases and norms (Qwen2, Qwen3):
/// pre-norm blocks x + attn(rms(x)), x + mlp(rms(x)); RoPE with default/linear/llama3/dynamic scaling; GQA; optional
/// attention and MLP biases; tied or untied embeddings.
/// </summary>
internal class Llama : CausalLanguageModel
{
    /// <summary>How a Llama-family checkpoint departs from Llama's layout.</summary>
    /// <param name="QkvBias">Biases on the q, k and v projections.</param>
    /// <param name="OutputBias">A bias on the o projection.</param>
    /// <param name="MlpBias">Biases on the gate, up and down projections.</param>
    /// <param name="QkNorm">An RMSNorm over each query and key head before RoPE (<c>q_norm</c>, <c>k_norm</c>).</param>
    protected sealed record Variant(bool QkvBias, bool OutputBias, bool MlpBias, bool QkNorm);

    private sealed record Layer(RmsNorm InputNorm, Attention Attn, RmsNorm PostAttentionNorm, GatedMlp Mlp);

    private readonly Tensor _embed;
    private readonly Layer[] _layers;
    private readonly RmsNorm _norm;
    private readonly Tensor _lmHead;
    private readonly Rotary _rotary;

    public Llama(ModelConfig c, WeightLoader w) : this(c, w, new Variant(c.AttentionBias, c.AttentionBias, c.MlpBias, QkNorm: false)) { }

    protected Llama(ModelConfig c, WeightLoader w, Variant v) : base(c, w.Dtype)
    {
        int d = c.HiddenSize, hd = c.HeadDim;
        _rotary = new Rotary(c.Rope, hd, c.MaxPositionEmbeddings, w.RopeFrequencyDtype, w.Device);
        _embed = w.Take("model.embed_tokens.weight", c.VocabSize, d);
        _layers = new Layer[c.NumLayers];
        for (int i = 0; i < c.NumLayers; i++)
        {
            var p = $"model.layers.{i}";
            var (qkv, o) = Attention.LoadProjections(w, p + ".self_attn", d, c.NumAttentionHeads, c.NumKeyValueHeads, hd,
                v.QkvBias, v.OutputBias);
            var attn = new Attention
            {
                InProjections = qkv, O = o, Rotary = _rotary, Layer = i,
                QNorm = v.QkNorm ? RmsNorm.Load(w, p + ".self_attn.q_norm", hd, c.NormEps) : null,
                KNorm = v.QkNorm ? RmsNorm.Load(w, p + ".self_attn.k_norm", hd, c.NormEps) : null,
                Heads = c.NumAttentionHeads, KvHeads = c.NumKeyValueHeads, HeadDim = hd, Scale = 1.0 / Math.Sqrt(hd),
            };
            _layers[i] = new Layer(RmsNorm.Load(w, p + ".input_layernorm", d, c.NormEps), attn,
                RmsNorm.Load(w, p + ".post_attention_layernorm", d, c.NormEps),
                GatedMlp.Load(w, p + ".mlp", d, c.IntermediateSize, v.MlpBias, c.HiddenAct));
        }
        _norm = RmsNorm.Load(w, "model.norm", d, c.NormEps);
        _lmHead = c.TieWordEmbeddings ? _embed : w.Take("lm_head.weight", c.VocabSize, d);
    }

    private protected override Rotary Rotary => _rotary;

    private protected override Tensor Embed(Tensor ids, Tensor positions, HookSet? hooks)
    {
        var x = _embed.index_select(0, ids.flatten()).view(ids.shape[0], ids.shape[1], -1);
        return hooks is null ? x : hooks.Apply(HookPoint.Embed, x);
    }

    private protected override Tensor Block(int i, Tensor x, AttentionContext ctx, HookSet? hooks)
    {
        var l = _layers[i];
        var attnOut = l.Attn.Forward(l.InputNorm.Forward(x), ctx, hooks);
        if (hooks is not null) attnOut = hooks.Apply(HookPoint.AttnOut(i), attnOut);
        x = x.Plus(attnOut);
        var mlpOut = l.Mlp.Forward(l.PostAttentionNorm.Forward(x));
        if (hooks is not null) mlpOut = hooks.Apply(HookPoint.MlpOut(i), mlpOut);
        return x.Plus(mlpOut);
    }

    private protected override Tensor FinalNorm(Tensor x) => _norm.Forward(x);

    private protected override Tensor Unembed(Tensor x) => Unembedding.Project(x, _lmHead);
}
