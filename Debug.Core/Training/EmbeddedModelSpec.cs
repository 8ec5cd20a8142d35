using System.Text.Json;
using System.Text.Json.Nodes;
using Debug.Core.Model.Loading;
using Debug.Core.Reports;
using Debug.Core.Serialization;
using static TorchSharp.torch;

namespace Debug.Core.Training;

/// <summary>
/// Shape of the embedded default model: a standard <c>Qwen3ForCausalLM</c> (q/k RMSNorm, RoPE, SwiGLU, tied
/// embeddings) over the byte-level <see cref="EmbeddedVocabulary"/>, small enough to train on two CPU cores and to
/// ship in the repository.
/// </summary>
public sealed record EmbeddedModelSpec
{
    /// <summary>Residual width.</summary>
    public int Hidden { get; init; } = 64;
    /// <summary>Decoder layers (the planted lookup circuit uses layers 0..4).</summary>
    public int Layers { get; init; } = 6;
    /// <summary>Query heads (and key/value heads: no grouping at this size).</summary>
    public int Heads { get; init; } = 4;
    /// <summary>Per-head width.</summary>
    public int HeadDim { get; init; } = 16;
    /// <summary>MLP width.</summary>
    public int Intermediate { get; init; } = 192;
    /// <summary>Longest context.</summary>
    public int MaxPositions { get; init; } = 512;
    /// <summary>RoPE base.</summary>
    public double RopeTheta { get; init; } = 10000;

    /// <summary>Writes config.json and generation_config.json in transformers' format.</summary>
    /// <param name="folder">Checkpoint folder.</param>
    /// <param name="vocabularySize">Embedding rows (the byte vocabulary's unless a learned one is used).</param>
    /// <param name="endOfText">End-of-text id (EOS and padding).</param>
    /// <param name="maxNewTokens">generation_config.json's default budget.</param>
    public void WriteConfig(string folder, int vocabularySize = EmbeddedVocabulary.Size, int endOfText = EmbeddedVocabulary.EndOfText, int maxNewTokens = 4)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("Qwen3ForCausalLM"),
            ["model_type"] = "qwen3",
            ["attention_bias"] = false,
            ["attention_dropout"] = 0.0,
            ["bos_token_id"] = null,
            ["eos_token_id"] = endOfText,
            ["pad_token_id"] = endOfText,
            ["head_dim"] = HeadDim,
            ["hidden_act"] = "silu",
            ["hidden_size"] = Hidden,
            ["initializer_range"] = 0.02,
            ["intermediate_size"] = Intermediate,
            ["max_position_embeddings"] = MaxPositions,
            ["max_window_layers"] = Layers,
            ["num_attention_heads"] = Heads,
            ["num_hidden_layers"] = Layers,
            ["num_key_value_heads"] = Heads,
            ["rms_norm_eps"] = 1e-6,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = null,
            ["sliding_window"] = null,
            ["use_sliding_window"] = false,
            ["tie_word_embeddings"] = true,
            ["torch_dtype"] = "float32",
            ["use_cache"] = true,
            ["vocab_size"] = vocabularySize,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), DebugJson.Write(config));
        var generation = new JsonObject
        {
            ["eos_token_id"] = endOfText,
            ["pad_token_id"] = endOfText,
            ["do_sample"] = false,
            ["max_new_tokens"] = maxNewTokens,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "generation_config.json"), DebugJson.Write(generation));
    }

    /// <summary>
    /// Writes a freshly initialised checkpoint (config, tokenizer, weights) into <paramref name="folder"/>:
    /// GPT-style N(0, 0.02) for matrices and embeddings, ones for norms. Seeded, so the same seed gives the same start.
    /// </summary>
    /// <param name="folder">Checkpoint folder (created).</param>
    /// <param name="seed">Initialisation seed.</param>
    /// <param name="vocabulary">A learned BPE vocabulary, or null for the byte vocabulary.</param>
    public void WriteInitialCheckpoint(string folder, long seed, LearnedBpeVocabulary? vocabulary = null)
    {
        Directory.CreateDirectory(folder);
        int size = vocabulary?.Size ?? EmbeddedVocabulary.Size;
        if (vocabulary is null)
        {
            WriteConfig(folder);
            EmbeddedVocabulary.WriteFiles(folder);
        }
        else
        {
            WriteConfig(folder, size, vocabulary.EndOfText, maxNewTokens: 12);
            vocabulary.WriteFiles(folder, MaxPositions);
        }
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        Tensor Normal(params long[] shape) => TensorMath.Normal(0, 0.02, shape, generator);
        var w = new Dictionary<string, Tensor> { ["model.embed_tokens.weight"] = Normal(size, Hidden) };
        int qk = Heads * HeadDim;
        for (int i = 0; i < Layers; i++)
        {
            string p = $"model.layers.{i}";
            w[$"{p}.input_layernorm.weight"] = ones(Hidden, device: CPU);
            w[$"{p}.post_attention_layernorm.weight"] = ones(Hidden, device: CPU);
            w[$"{p}.self_attn.q_proj.weight"] = Normal(qk, Hidden);
            w[$"{p}.self_attn.k_proj.weight"] = Normal(qk, Hidden);
            w[$"{p}.self_attn.v_proj.weight"] = Normal(qk, Hidden);
            w[$"{p}.self_attn.o_proj.weight"] = Normal(Hidden, qk);
            w[$"{p}.self_attn.q_norm.weight"] = ones(HeadDim, device: CPU);
            w[$"{p}.self_attn.k_norm.weight"] = ones(HeadDim, device: CPU);
            w[$"{p}.mlp.gate_proj.weight"] = Normal(Intermediate, Hidden);
            w[$"{p}.mlp.up_proj.weight"] = Normal(Intermediate, Hidden);
            w[$"{p}.mlp.down_proj.weight"] = Normal(Hidden, Intermediate);
        }
        w["model.norm.weight"] = ones(Hidden, device: CPU);
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), w);
    }
}
