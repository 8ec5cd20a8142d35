namespace Debug.Core.Interventions;

/// <summary>
/// TransformerLens names of the activations the engine exposes. Residual-stream hooks are [batch, pos, d_model];
/// <c>hook_z</c> is [batch, pos, heads, head_dim]; <c>hook_pattern</c> is [batch, heads, query, key].
/// Attention and MLP outputs are what the sub-layer returns, before any post-norm (Gemma-2) and before the residual add.
/// </summary>
public static class HookPoint
{
    /// <summary>Token embeddings (scaled by sqrt(d_model) for Gemma-2; without positions for GPT-2).</summary>
    public const string Embed = "hook_embed";

    /// <summary>GPT-2's learned position embeddings.</summary>
    public const string PosEmbed = "hook_pos_embed";

    /// <summary>Output of the final norm, the input of the unembedding.</summary>
    public const string FinalNormalized = "ln_final.hook_normalized";

    /// <summary>Input of block <paramref name="layer"/>.</summary>
    public static string ResidPre(int layer) => Name(layer, 0);

    /// <summary>Output of block <paramref name="layer"/>.</summary>
    public static string ResidPost(int layer) => Name(layer, 1);

    /// <summary>Input of the attention output projection, split per head.</summary>
    public static string AttnZ(int layer) => Name(layer, 2);

    /// <summary>Post-softmax attention weights.</summary>
    public static string AttnPattern(int layer) => Name(layer, 3);

    /// <summary>Output of the attention sub-layer.</summary>
    public static string AttnOut(int layer) => Name(layer, 4);

    /// <summary>Output of the MLP sub-layer.</summary>
    public static string MlpOut(int layer) => Name(layer, 5);

    private static readonly string[] Suffixes =
        ["hook_resid_pre", "hook_resid_post", "attn.hook_z", "attn.hook_pattern", "hook_attn_out", "hook_mlp_out"];

    // Names are interned per layer so the forward pass never formats strings.
    private static string[][] _cache = [];

    private static string Name(int layer, int kind)
    {
        var cache = _cache;
        if (layer >= cache.Length)
        {
            var grown = new string[Math.Max(layer + 1, 64)][];
            for (int l = 0; l < grown.Length; l++)
                grown[l] = l < cache.Length ? cache[l] : Suffixes.Select(s => $"blocks.{l}.{s}").ToArray();
            _cache = cache = grown;
        }
        return cache[layer][kind];
    }

    /// <summary>True for hooks laid out [batch, heads, query, key] rather than [batch, pos, ...].</summary>
    public static bool IsPattern(string hook) => hook.EndsWith(".attn.hook_pattern", StringComparison.Ordinal);

    /// <summary>True for hooks with a head axis (hook_z, hook_pattern).</summary>
    public static bool HasHeads(string hook) => IsPattern(hook) || hook.EndsWith(".attn.hook_z", StringComparison.Ordinal);
}
