using Debug.Core.Interventions;
using Debug.Core.Model.Blocks;
using Debug.Core.Model.Loading;
using static TorchSharp.torch;

namespace Debug.Core.Model.Architectures;

/// <summary>
/// GPT2LMHeadModel: learned position embeddings added to token embeddings; pre-LayerNorm blocks; a fused c_attn
/// projection; Conv1D weights stored [in, out] (transposed here once, at load, into nn.Linear's [out, in]);
/// gelu_new MLP; tied unembedding.
/// </summary>
internal sealed class Gpt2 : CausalLanguageModel
{
    private sealed record Layer(LayerNorm Ln1, Attention Attn, LayerNorm Ln2, PlainMlp Mlp);

    private readonly Tensor _wte;
    private readonly Tensor _wpe;
    private readonly Layer[] _layers;
    private readonly LayerNorm _lnF;

    public Gpt2(ModelConfig c, WeightLoader w) : base(c, w.Dtype)
    {
        int d = c.HiddenSize, hd = c.HeadDim, heads = c.NumAttentionHeads;
        // Stored causal-mask buffers (old checkpoints) and a duplicate of the tied head carry no weights of their own.
        w.Ignore(n => n.EndsWith(".attn.bias", StringComparison.Ordinal) || n.EndsWith(".attn.masked_bias", StringComparison.Ordinal)
            || n == "lm_head.weight");
        _wte = w.Take("wte.weight", c.VocabSize, d);
        _wpe = w.Take("wpe.weight", c.MaxPositionEmbeddings, d);
        _layers = new Layer[c.NumLayers];
        for (int i = 0; i < c.NumLayers; i++)
        {
            var p = $"h.{i}";
            var attn = new Attention
            {
                // c_attn is already the fused q/k/v projection.
                InProjections = [new Linear(Conv1D(w, p + ".attn.c_attn.weight", d, 3 * d), w.Take(p + ".attn.c_attn.bias", 3 * d))],
                O = new Linear(Conv1D(w, p + ".attn.c_proj.weight", d, d), w.Take(p + ".attn.c_proj.bias", d)),
                Layer = i, Heads = heads, KvHeads = heads, HeadDim = hd, Scale = 1.0 / Math.Sqrt(hd),
            };
            var mlp = new PlainMlp(
                new Linear(Conv1D(w, p + ".mlp.c_fc.weight", d, c.IntermediateSize), w.Take(p + ".mlp.c_fc.bias", c.IntermediateSize)),
                new Linear(Conv1D(w, p + ".mlp.c_proj.weight", c.IntermediateSize, d), w.Take(p + ".mlp.c_proj.bias", d)),
                c.HiddenAct);
            _layers[i] = new Layer(LayerNorm.Load(w, p + ".ln_1", d, c.NormEps), attn, LayerNorm.Load(w, p + ".ln_2", d, c.NormEps), mlp);
        }
        _lnF = LayerNorm.Load(w, "ln_f", d, c.NormEps);
    }

    // Conv1D keeps [in, out]; a contiguous transpose lets every projection use the same linear kernel.
    private static Tensor Conv1D(WeightLoader w, string name, long inFeatures, long outFeatures)
    {
        var stored = w.Take(name, inFeatures, outFeatures);
        var t = stored.t().contiguous().DetachFromDisposeScope();
        // By reference: List.Remove would call Tensor.Equals, which compares values (reads every element, on any device).
        w.Loaded.RemoveAt(w.Loaded.FindLastIndex(x => ReferenceEquals(x, stored)));
        stored.Dispose();
        w.Loaded.Add(t);
        return t;
    }

    private protected override Tensor Embed(Tensor ids, Tensor positions, HookSet? hooks)
    {
        var tok = _wte.index_select(0, ids.flatten()).view(ids.shape[0], ids.shape[1], -1);
        var pos = _wpe.index_select(0, positions.flatten()).view(ids.shape[0], ids.shape[1], -1);
        if (hooks is not null)
        {
            tok = hooks.Apply(HookPoint.Embed, tok);
            pos = hooks.Apply(HookPoint.PosEmbed, pos);
        }
        return tok.Plus(pos);
    }

    private protected override Tensor Block(int i, Tensor x, AttentionContext ctx, HookSet? hooks)
    {
        var l = _layers[i];
        var attnOut = l.Attn.Forward(l.Ln1.Forward(x), ctx, hooks);
        if (hooks is not null) attnOut = hooks.Apply(HookPoint.AttnOut(i), attnOut);
        x = x.Plus(attnOut);
        var mlpOut = l.Mlp.Forward(l.Ln2.Forward(x));
        if (hooks is not null) mlpOut = hooks.Apply(HookPoint.MlpOut(i), mlpOut);
        return x.Plus(mlpOut);
    }

    private protected override Tensor FinalNorm(Tensor x) => _lnF.Forward(x);

    private protected override Tensor Unembed(Tensor x) => Unembedding.Project(x, _wte);
}
