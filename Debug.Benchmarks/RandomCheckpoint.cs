using Debug.Core;
using System.Text;
using Debug.Core.Serialization;
using static TorchSharp.torch;

namespace Debug.Benchmarks;

/// <summary>
/// Writes a Qwen3-shaped checkpoint with random bf16 weights (config.json + model.safetensors), one tensor at a
/// time so the writer never holds the whole model: 8-byte little-endian header length, JSON header, raw data.
/// </summary>
internal static class RandomCheckpoint
{
    public const int Vocab = 151936, Hidden = 1024, Layers = 28, Heads = 16, KvHeads = 8, HeadDim = 128, Intermediate = 3072;

    /// <summary>Name and shape of every tensor of the Qwen3-0.6B layout (tied embeddings: no lm_head).</summary>
    public static List<(string Name, long[] Shape)> Layout(int layers = Layers)
    {
        var list = new List<(string, long[])> { ("model.embed_tokens.weight", [Vocab, Hidden]), ("model.norm.weight", [Hidden]) };
        for (int i = 0; i < layers; i++)
        {
            var p = $"model.layers.{i}";
            list.Add(($"{p}.input_layernorm.weight", [Hidden]));
            list.Add(($"{p}.post_attention_layernorm.weight", [Hidden]));
            list.Add(($"{p}.self_attn.q_proj.weight", [Heads * HeadDim, Hidden]));
            list.Add(($"{p}.self_attn.k_proj.weight", [KvHeads * HeadDim, Hidden]));
            list.Add(($"{p}.self_attn.v_proj.weight", [KvHeads * HeadDim, Hidden]));
            list.Add(($"{p}.self_attn.o_proj.weight", [Hidden, Heads * HeadDim]));
            list.Add(($"{p}.self_attn.q_norm.weight", [HeadDim]));
            list.Add(($"{p}.self_attn.k_norm.weight", [HeadDim]));
            list.Add(($"{p}.mlp.gate_proj.weight", [Intermediate, Hidden]));
            list.Add(($"{p}.mlp.up_proj.weight", [Intermediate, Hidden]));
            list.Add(($"{p}.mlp.down_proj.weight", [Hidden, Intermediate]));
        }
        return list;
    }

    public static long ParameterCount() => Layout().Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));

    public static void Write(string folder, int layers = Layers)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), DebugJson.Serialize(new Dictionary<string, object?>
        {
            ["architectures"] = new[] { "Qwen3ForCausalLM" }, ["model_type"] = "qwen3", ["vocab_size"] = Vocab,
            ["hidden_size"] = Hidden, ["intermediate_size"] = Intermediate, ["num_hidden_layers"] = layers,
            ["num_attention_heads"] = Heads, ["num_key_value_heads"] = KvHeads, ["head_dim"] = HeadDim,
            ["max_position_embeddings"] = 40960, ["rope_theta"] = 1000000.0, ["rms_norm_eps"] = 1e-6,
            ["tie_word_embeddings"] = true, ["hidden_act"] = "silu", ["torch_dtype"] = "bfloat16",
            ["bos_token_id"] = 151643, ["eos_token_id"] = 151645,
        }));

        var layout = Layout(layers);
        var header = new Dictionary<string, object?>();
        long offset = 0;
        foreach (var (name, shape) in layout)
        {
            long bytes = shape.Aggregate(2L, (a, b) => a * b);
            header[name] = new Dictionary<string, object?> { ["dtype"] = "BF16", ["shape"] = shape, ["data_offsets"] = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(DebugJson.SerializeCompact(header));
        int padded = (json.Length + 7) / 8 * 8;
        using var fs = new FileStream(Path.Combine(folder, "model.safetensors"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        fs.Write(BitConverter.GetBytes((ulong)padded));
        fs.Write(json);
        for (int i = json.Length; i < padded; i++) fs.WriteByte((byte)' ');
        manual_seed(0);
        foreach (var (name, shape) in layout)
        {
            using var scope = NewDisposeScope();
            // Norm weights near one, projections at the usual 0.02 init scale.
            // (randn in float32 then a cast: bf16 randn is several times slower on CPUs without bf16 units)
            var t = shape.Length == 1 ? ones(shape, ScalarType.BFloat16) : randn(shape).Times(0.02).to_type(ScalarType.BFloat16);
            fs.Write(t.contiguous().bytes);
        }
    }
}
