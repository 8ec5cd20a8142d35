// TEMPORARY stand-in for the lead's loader (Debug.Core/Model/Loading on main). Deleted when main is merged.
#pragma warning disable CS1591
using System.Text.Json;
using TorchSharp;

namespace Debug.Core.Model.Loading;

public sealed class RopeConfig
{
    public string Type { get; init; } = "default";
    public double Theta { get; init; } = 10000;
    public double? Factor { get; init; }
    public double? LowFreqFactor { get; init; }
    public double? HighFreqFactor { get; init; }
    public int? OriginalMaxPositionEmbeddings { get; init; }
    public double PartialRotaryFactor { get; init; } = 1.0;
}

public sealed record TensorInfo(string Dtype, long[] Shape);

public sealed class CheckpointFormatException(string message) : Exception(message);

public sealed class ModelConfig
{
    public string ModelType { get; init; } = "";
    public int HiddenSize { get; init; }
    public int NumLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int NumKeyValueHeads { get; init; }
    public int HeadDim { get; init; }
    public int IntermediateSize { get; init; }
    public int VocabSize { get; init; }
    public int MaxPositionEmbeddings { get; init; }
    public double NormEps { get; init; }
    public bool TieWordEmbeddings { get; init; }
    public bool AttentionBias { get; init; }
    public bool MlpBias { get; init; }
    public string HiddenAct { get; init; } = "silu";
    public RopeConfig Rope { get; init; } = new();
    public double? AttnLogitSoftcapping { get; init; }
    public double? FinalLogitSoftcapping { get; init; }
    public double? QueryPreAttnScalar { get; init; }
    public int? SlidingWindow { get; init; }
    public IReadOnlyList<string>? LayerTypes { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }

    public static ModelConfig Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var r = doc.RootElement;
        JsonElement? Get(string k) => r.TryGetProperty(k, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
        int I(string k, int d = 0) => Get(k)?.GetInt32() ?? d;
        double D(string k, double d = 0) => Get(k)?.GetDouble() ?? d;
        bool B(string k, bool d = false) => Get(k)?.GetBoolean() ?? d;
        var mt = Get("model_type")!.Value.GetString()!;
        var gpt2 = mt == "gpt2";
        int hidden = gpt2 ? I("n_embd") : I("hidden_size");
        int heads = gpt2 ? I("n_head") : I("num_attention_heads");
        var ropeEl = Get("rope_parameters") ?? Get("rope_scaling");
        RopeConfig rope = new() { Theta = D("rope_theta", 10000) };
        if (ropeEl is { } re)
        {
            double? Od(string k) => re.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            rope = new RopeConfig
            {
                Type = re.TryGetProperty("rope_type", out var t) ? t.GetString()! : re.TryGetProperty("type", out var t2) ? t2.GetString()! : "default",
                Theta = Od("rope_theta") ?? D("rope_theta", 10000),
                Factor = Od("factor"), LowFreqFactor = Od("low_freq_factor"), HighFreqFactor = Od("high_freq_factor"),
                OriginalMaxPositionEmbeddings = (int?)Od("original_max_position_embeddings"),
                PartialRotaryFactor = Od("partial_rotary_factor") ?? 1.0,
            };
        }
        var eos = new List<int>();
        if (Get("eos_token_id") is { } e)
        {
            if (e.ValueKind == JsonValueKind.Array) eos.AddRange(e.EnumerateArray().Select(x => x.GetInt32()));
            else eos.Add(e.GetInt32());
        }
        return new ModelConfig
        {
            ModelType = mt,
            HiddenSize = hidden,
            NumLayers = gpt2 ? I("n_layer") : I("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = gpt2 ? heads : I("num_key_value_heads", heads),
            HeadDim = Get("head_dim")?.GetInt32() ?? hidden / heads,
            IntermediateSize = gpt2 ? (Get("n_inner")?.GetInt32() ?? 4 * hidden) : I("intermediate_size"),
            VocabSize = I("vocab_size"),
            MaxPositionEmbeddings = gpt2 ? I("n_positions") : I("max_position_embeddings"),
            NormEps = gpt2 ? D("layer_norm_epsilon", 1e-5) : D("rms_norm_eps", 1e-6),
            TieWordEmbeddings = B("tie_word_embeddings", true),
            AttentionBias = mt == "qwen2" || B("attention_bias"),
            MlpBias = B("mlp_bias"),
            HiddenAct = (gpt2 ? Get("activation_function") : Get("hidden_activation") ?? Get("hidden_act"))?.GetString() ?? "silu",
            Rope = rope,
            AttnLogitSoftcapping = Get("attn_logit_softcapping")?.GetDouble(),
            FinalLogitSoftcapping = Get("final_logit_softcapping")?.GetDouble(),
            QueryPreAttnScalar = Get("query_pre_attn_scalar")?.GetDouble(),
            SlidingWindow = Get("sliding_window")?.GetInt32(),
            LayerTypes = Get("layer_types")?.EnumerateArray().Select(x => x.GetString()!).ToList(),
            BosTokenId = Get("bos_token_id")?.GetInt32(),
            EosTokenIds = eos,
            PadTokenId = Get("pad_token_id")?.GetInt32(),
        };
    }
}

public sealed class Checkpoint : IDisposable
{
    private readonly Dictionary<string, (string File, TensorInfo Info, long Begin, long End, long DataStart)> _entries = new();

    public ModelConfig Config { get; private init; } = null!;
    public string Folder { get; private init; } = "";
    public IReadOnlyCollection<string> TensorNames => _entries.Keys;
    public TensorInfo GetInfo(string name) => _entries[name].Info;

    public static Checkpoint Open(string folder)
    {
        var c = new Checkpoint { Folder = folder, Config = ModelConfig.Load(Path.Combine(folder, "config.json")) };
        var index = Path.Combine(folder, "model.safetensors.index.json");
        IEnumerable<string> files = File.Exists(index)
            ? JsonDocument.Parse(File.ReadAllText(index)).RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()!).Distinct()
            : ["model.safetensors"];
        foreach (var f in files)
        {
            var path = Path.Combine(folder, f);
            using var fs = File.OpenRead(path);
            var lenBytes = new byte[8]; fs.ReadExactly(lenBytes);
            var len = BitConverter.ToInt64(lenBytes);
            var hdr = new byte[len]; fs.ReadExactly(hdr);
            using var doc = JsonDocument.Parse(hdr);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") continue;
                var off = p.Value.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                var info = new TensorInfo(p.Value.GetProperty("dtype").GetString()!, p.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray());
                c._entries[p.Name] = (path, info, off[0], off[1], 8 + len);
            }
        }
        return c;
    }

    public torch.Tensor Load(string name, torch.ScalarType dtype)
    {
        var e = _entries[name];
        var bytes = new byte[e.End - e.Begin];
        using (var fs = File.OpenRead(e.File)) { fs.Seek(e.DataStart + e.Begin, SeekOrigin.Begin); fs.ReadExactly(bytes); }
        var st = e.Info.Dtype switch
        {
            "F32" => torch.ScalarType.Float32, "BF16" => torch.ScalarType.BFloat16, "F16" => torch.ScalarType.Float16,
            "I64" => torch.ScalarType.Int64, _ => throw new CheckpointFormatException($"dtype {e.Info.Dtype}"),
        };
        var t = torch.empty(e.Info.Shape, st);
        bytes.CopyTo(t.bytes);
        if (st == dtype) return t;
        var r = t.to_type(dtype); t.Dispose(); return r;
    }

    public void Dispose() { }
}
