using Debug.Core;
using Debug.Core.Serialization;
using Debug.Core.Model.Loading;
using Debug.Core.Training;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Experiments;

/// <summary>
/// Throwaway Qwen3 checkpoints with the embedded byte-level vocabulary, written to temp folders, so the runner can
/// be tested before (and independently of) the trained embedded model.
/// </summary>
internal static class TestCheckpoints
{
    /// <summary>
    /// A model that answers <paramref name="answer"/> then a newline to any prompt. Every layer adds zero to the
    /// residual (zero o_proj and down_proj), so the final state is the last token's embedding: e0 for every token
    /// except the answer, e1 for the answer. The untied LM head maps e0 to the answer and e1 to '\n'.
    /// </summary>
    public static string ConstantAnswer(string folder, char answer, int layers = 1)
    {
        const int d = 16;
        TorchRuntime.EnsureLoaded();
        Directory.CreateDirectory(folder);
        var embed = zeros(EmbeddedVocabulary.Size, d);
        embed[.., 0] = 1;
        embed[answer, 0] = 0;
        embed[answer, 1] = 1;
        var head = zeros(EmbeddedVocabulary.Size, d);
        head[answer, 0] = 1;
        head['\n', 1] = 1;
        var tensors = Common(d, layers, 32, randomScale: 0f);
        tensors["model.embed_tokens.weight"] = embed;
        tensors["lm_head.weight"] = head;
        Write(folder, tensors, d, layers, 32, tied: false);
        return folder;
    }

    /// <summary>A random model (tied embeddings) of the given size; its weights take about 4 bytes per parameter.</summary>
    public static string Random(string folder, int hidden = 32, int layers = 2, int intermediate = 64, long seed = 1)
    {
        TorchRuntime.EnsureLoaded();
        Directory.CreateDirectory(folder);
        manual_seed(seed);
        var tensors = Common(hidden, layers, intermediate, randomScale: 0.5f);
        tensors["model.embed_tokens.weight"] = randn(EmbeddedVocabulary.Size, hidden);
        Write(folder, tensors, hidden, layers, intermediate, tied: true);
        return folder;
    }

    private const int Heads = 4, KvHeads = 2;

    private static Dictionary<string, Tensor> Common(int d, int layers, int intermediate, float randomScale)
    {
        int hd = d / Heads;
        Tensor W(long rows, long cols) => randomScale == 0 ? zeros(rows, cols) : randn(rows, cols).Times(randomScale / MathF.Sqrt(cols));
        var t = new Dictionary<string, Tensor> { ["model.norm.weight"] = ones(d) };
        for (int i = 0; i < layers; i++)
        {
            string p = $"model.layers.{i}";
            t[$"{p}.input_layernorm.weight"] = ones(d);
            t[$"{p}.post_attention_layernorm.weight"] = ones(d);
            t[$"{p}.self_attn.q_proj.weight"] = W(Heads * hd, d);
            t[$"{p}.self_attn.k_proj.weight"] = W(KvHeads * hd, d);
            t[$"{p}.self_attn.v_proj.weight"] = W(KvHeads * hd, d);
            t[$"{p}.self_attn.o_proj.weight"] = W(d, Heads * hd);
            t[$"{p}.self_attn.q_norm.weight"] = ones(hd);
            t[$"{p}.self_attn.k_norm.weight"] = ones(hd);
            t[$"{p}.mlp.gate_proj.weight"] = W(intermediate, d);
            t[$"{p}.mlp.up_proj.weight"] = W(intermediate, d);
            t[$"{p}.mlp.down_proj.weight"] = W(d, intermediate);
        }
        return t;
    }

    private static void Write(string folder, Dictionary<string, Tensor> tensors, int d, int layers, int intermediate, bool tied)
    {
        var config = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { "Qwen3ForCausalLM" }, ["model_type"] = "qwen3",
            ["vocab_size"] = EmbeddedVocabulary.Size, ["hidden_size"] = d, ["intermediate_size"] = intermediate,
            ["num_hidden_layers"] = layers, ["num_attention_heads"] = Heads, ["num_key_value_heads"] = KvHeads,
            ["head_dim"] = d / Heads, ["max_position_embeddings"] = 2048, ["rms_norm_eps"] = 1e-6,
            ["rope_parameters"] = new Dictionary<string, object?> { ["rope_theta"] = 10000.0, ["rope_type"] = "default" },
            ["tie_word_embeddings"] = tied, ["hidden_act"] = "silu", ["attention_bias"] = false,
            ["bos_token_id"] = null, ["eos_token_id"] = EmbeddedVocabulary.EndOfText, ["pad_token_id"] = EmbeddedVocabulary.EndOfText,
            ["use_sliding_window"] = false, ["sliding_window"] = null,
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), DebugJson.Serialize(config));
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), tensors);
        foreach (var t in tensors.Values) t.Dispose();
        EmbeddedVocabulary.WriteFiles(folder);
    }
}

/// <summary>A temp folder deleted when the test ends.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "debug-runner-" + Guid.NewGuid().ToString("N"));

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
