using System.Text.Json;
using System.Text.Json.Nodes;

namespace Debug.Core.Model.Loading;

/// <summary>
/// The fields of a HuggingFace config.json that the supported architectures need, normalised across
/// architectures (GPT-2's <c>n_embd</c>/<c>n_layer</c> land in the same properties as Llama's) and across
/// transformers 4 and 5 config formats.
/// </summary>
public sealed class ModelConfig
{
    /// <summary>model_type values Debug can run.</summary>
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["qwen3", "qwen2", "llama", "gpt2", "gemma2"];

    /// <summary>qwen3, qwen2, llama, gpt2 or gemma2.</summary>
    public required string ModelType { get; init; }
    /// <summary>Width of the residual stream.</summary>
    public required int HiddenSize { get; init; }
    /// <summary>Number of decoder layers.</summary>
    public required int NumLayers { get; init; }
    /// <summary>Number of query heads.</summary>
    public required int NumAttentionHeads { get; init; }
    /// <summary>Number of key/value heads (grouped-query attention when smaller than the query heads).</summary>
    public required int NumKeyValueHeads { get; init; }
    /// <summary>Per-head width: explicit head_dim where given, else hidden / heads.</summary>
    public required int HeadDim { get; init; }
    /// <summary>MLP hidden width.</summary>
    public required int IntermediateSize { get; init; }
    /// <summary>Vocabulary size (rows of the embedding).</summary>
    public required int VocabSize { get; init; }
    /// <summary>Longest context the positions support.</summary>
    public required int MaxPositionEmbeddings { get; init; }
    /// <summary>Epsilon of the RMSNorm/LayerNorm.</summary>
    public required double NormEps { get; init; }
    /// <summary>Whether the LM head reuses the embedding matrix.</summary>
    public required bool TieWordEmbeddings { get; init; }
    /// <summary>Bias on q/k/v/o projections (Qwen2 always has q/k/v bias and sets this true).</summary>
    public bool AttentionBias { get; init; }
    /// <summary>Bias on the MLP projections (Llama's mlp_bias).</summary>
    public bool MlpBias { get; init; }
    /// <summary>Activation name: silu, gelu_pytorch_tanh, gelu_new, ...</summary>
    public required string HiddenAct { get; init; }
    /// <summary>Rotary settings (unused by GPT-2, which has learned positions).</summary>
    public RopeConfig Rope { get; init; } = new();
    /// <summary>Gemma-2: tanh soft-cap on attention scores.</summary>
    public double? AttnLogitSoftcapping { get; init; }
    /// <summary>Gemma-2: tanh soft-cap on final logits.</summary>
    public double? FinalLogitSoftcapping { get; init; }
    /// <summary>Gemma-2: attention scores are scaled by this^-0.5 instead of head_dim^-0.5.</summary>
    public double? QueryPreAttnScalar { get; init; }
    /// <summary>Window of the sliding-attention layers, where any layer slides.</summary>
    public int? SlidingWindow { get; init; }
    /// <summary>Per-layer attention kind ("full_attention" or "sliding_attention"), or null when all are full.</summary>
    public IReadOnlyList<string>? LayerTypes { get; init; }
    /// <summary>Beginning-of-sequence token id, if the config names one.</summary>
    public int? BosTokenId { get; init; }
    /// <summary>End-of-sequence token ids (config may give one or several).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    /// <summary>Padding token id, if the config names one.</summary>
    public int? PadTokenId { get; init; }
    /// <summary>The whole parsed config.json, for fields this class does not model.</summary>
    public required JsonObject Raw { get; init; }

    /// <summary>True when layer <paramref name="layer"/> uses sliding-window attention.</summary>
    public bool IsSlidingLayer(int layer) =>
        SlidingWindow is not null && LayerTypes is not null && LayerTypes[layer] == "sliding_attention";

    /// <summary>Reads and validates <paramref name="configJsonPath"/>.</summary>
    public static ModelConfig Load(string configJsonPath)
    {
        if (!File.Exists(configJsonPath)) throw new FileNotFoundException($"config.json not found: {configJsonPath}", configJsonPath);
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(configJsonPath)); }
        catch (JsonException e) { throw new CheckpointFormatException(configJsonPath, null, $"invalid JSON: {e.Message}", e); }
        if (node is not JsonObject root) throw new CheckpointFormatException(configJsonPath, null, "config.json is not a JSON object");
        return Parse(new ConfigReader(configJsonPath, root));
    }

    private static ModelConfig Parse(ConfigReader c)
    {
        string type = c.String("model_type") ?? throw c.Missing("model_type");
        if (!SupportedModelTypes.Contains(type))
            throw new CheckpointFormatException(c.File, "model_type", $"unknown model_type '{type}' (supported: {string.Join(", ", SupportedModelTypes)})");
        return type == "gpt2" ? ParseGpt2(c) : ParseDecoder(c, type);
    }

    private static ModelConfig ParseGpt2(ConfigReader c)
    {
        int hidden = c.Int("n_embd"), heads = c.Int("n_head");
        return new ModelConfig
        {
            ModelType = "gpt2", HiddenSize = hidden, NumLayers = c.Int("n_layer"), NumAttentionHeads = heads,
            NumKeyValueHeads = heads, HeadDim = hidden / heads, IntermediateSize = c.IntOrNull("n_inner") ?? 4 * hidden,
            VocabSize = c.Int("vocab_size"), MaxPositionEmbeddings = c.Int("n_positions"),
            NormEps = c.Double("layer_norm_epsilon", 1e-5), TieWordEmbeddings = c.Bool("tie_word_embeddings", true),
            AttentionBias = true, MlpBias = true, HiddenAct = c.String("activation_function") ?? "gelu_new",
            BosTokenId = c.IntOrNull("bos_token_id"), EosTokenIds = c.IntList("eos_token_id"), PadTokenId = c.IntOrNull("pad_token_id"),
            Raw = c.Root,
        };
    }

    private static ModelConfig ParseDecoder(ConfigReader c, string type)
    {
        int hidden = c.Int("hidden_size"), heads = c.Int("num_attention_heads"), layers = c.Int("num_hidden_layers");
        if (heads <= 0) throw new CheckpointFormatException(c.File, "num_attention_heads", "must be positive");
        bool isGemma = type == "gemma2";
        var layerTypes = c.StringList("layer_types");
        if (layerTypes is not null && layerTypes.Count != layers)
            throw new CheckpointFormatException(c.File, "layer_types", $"has {layerTypes.Count} entries for {layers} layers");
        int? window = c.IntOrNull("sliding_window");
        if (isGemma && layerTypes is null)
            // transformers 4 configs omit layer_types; Gemma-2 then slides on even layers.
            layerTypes = Enumerable.Range(0, layers).Select(i => i % 2 == 0 ? "sliding_attention" : "full_attention").ToList();
        if (!isGemma)
        {
            // Qwen configs carry a sliding_window value that only applies when use_sliding_window is set, which no
            // supported checkpoint does; refusing it beats silently attending to the full context.
            if (c.Bool("use_sliding_window", false))
                throw new CheckpointFormatException(c.File, "use_sliding_window", "sliding-window attention is only supported for gemma2");
            window = null;
        }
        return new ModelConfig
        {
            ModelType = type, HiddenSize = hidden, NumLayers = layers, NumAttentionHeads = heads,
            NumKeyValueHeads = c.IntOrNull("num_key_value_heads") ?? heads,
            HeadDim = c.IntOrNull("head_dim") ?? hidden / heads,
            IntermediateSize = c.Int("intermediate_size"), VocabSize = c.Int("vocab_size"),
            MaxPositionEmbeddings = c.IntOrNull("max_position_embeddings") ?? 2048,
            NormEps = c.Double("rms_norm_eps", 1e-6),
            TieWordEmbeddings = c.Bool("tie_word_embeddings", isGemma),
            AttentionBias = type == "qwen2" || c.Bool("attention_bias", false),
            MlpBias = c.Bool("mlp_bias", false),
            HiddenAct = c.String("hidden_activation") ?? c.String("hidden_act") ?? (isGemma ? "gelu_pytorch_tanh" : "silu"),
            Rope = RopeParser.Parse(c),
            AttnLogitSoftcapping = c.DoubleOrNull("attn_logit_softcapping"),
            FinalLogitSoftcapping = c.DoubleOrNull("final_logit_softcapping"),
            QueryPreAttnScalar = c.DoubleOrNull("query_pre_attn_scalar"),
            SlidingWindow = window, LayerTypes = layerTypes,
            BosTokenId = c.IntOrNull("bos_token_id"), EosTokenIds = c.IntList("eos_token_id"), PadTokenId = c.IntOrNull("pad_token_id"),
            Raw = c.Root,
        };
    }
}
