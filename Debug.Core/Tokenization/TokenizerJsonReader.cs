using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Debug.Core.Tokenization;

/// <summary>
/// Reads a HuggingFace tokenizer.json (plain or .gz) into a <see cref="TokenizerDefinition"/>. Only byte-level BPE and
/// SentencePiece-style BPE are accepted; anything else fails with a <see cref="TokenizerFormatException"/> that names
/// the field, rather than producing a tokenizer that silently disagrees with HuggingFace.
/// </summary>
internal static class TokenizerJsonReader
{
    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    public static TokenizerDefinition Read(string path)
    {
        TokenizerJsonScanner.Result scan;
        try
        {
            scan = TokenizerJsonScanner.Scan(ReadBytes(path), path);
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(path, "", $"not valid JSON: {e.Message}", e);
        }
        using var doc = scan.Slim;
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new TokenizerFormatException(path, "$", "expected a JSON object");

        var model = Require(root, "model", path, "");
        string type = RequireString(model, "type", path, "model");
        if (type != "BPE")
            throw new TokenizerFormatException(path, "model.type", $"unsupported model type '{type}' (only BPE is supported)");
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
            throw new TokenizerFormatException(path, "model.dropout", "BPE dropout is not supported");

        var preTokenizer = new PreTokenizerSpec();
        if (root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind != JsonValueKind.Null)
            ReadPreTokenizer(pre, preTokenizer, path, "pre_tokenizer");

        var normalizers = new List<NormalizerStep>();
        if (root.TryGetProperty("normalizer", out var norm) && norm.ValueKind != JsonValueKind.Null)
            ReadNormalizer(norm, normalizers, path, "normalizer");

        var def = new TokenizerDefinition
        {
            FilePath = path,
            Vocab = scan.Vocab ?? throw new TokenizerFormatException(path, "model.vocab",
                model.TryGetProperty("vocab", out _) ? "expected an object mapping token to id" : "missing"),
            Merges = scan.Merges ?? (model.TryGetProperty("merges", out var m) && m.ValueKind != JsonValueKind.Null
                ? throw new TokenizerFormatException(path, "model.merges", "expected an array") : []),
            AddedTokens = ReadAddedTokens(root, path),
            Normalizers = normalizers,
            PreTokenizer = preTokenizer,
            Decoders = root.TryGetProperty("decoder", out var dec) && dec.ValueKind != JsonValueKind.Null
                ? ReadDecoder(dec, path, "decoder") : null,
            UnknownToken = OptionalString(model, "unk_token"),
            FuseUnknown = OptionalBool(model, "fuse_unk"),
            ByteFallback = OptionalBool(model, "byte_fallback"),
            IgnoreMerges = OptionalBool(model, "ignore_merges"),
            ContinuingSubwordPrefix = NullIfEmpty(OptionalString(model, "continuing_subword_prefix")),
            EndOfWordSuffix = NullIfEmpty(OptionalString(model, "end_of_word_suffix")),
            TrimOffsets = root.TryGetProperty("post_processor", out var post) && FindTrimOffsets(post),
        };
        if (root.TryGetProperty("post_processor", out post) && post.ValueKind != JsonValueKind.Null)
            PostProcessorReader.Read(post, def, path, "post_processor");
        return def;
    }

    /// <summary>Parses a JSON file (plain or .gz).</summary>
    public static JsonDocument ParseFile(string path)
    {
        try
        {
            return JsonDocument.Parse(ReadBytes(path), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(path, "", $"not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The bytes of a file, transparently gunzipping "*.gz".</summary>
    public static byte[] ReadBytes(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Tokenizer file not found: {path}", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return bytes;
        try
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var ms = new MemoryStream(bytes.Length * 6);
            gz.CopyTo(ms);
            return ms.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new TokenizerFormatException(path, "", $"not valid gzip: {e.Message}", e);
        }
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string path)
    {
        var result = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var array) || array.ValueKind == JsonValueKind.Null) return result;
        int i = 0;
        foreach (var t in array.EnumerateArray())
        {
            string where = $"added_tokens[{i++}]";
            if (!Require(t, "id", path, where).TryGetInt32(out int id))
                throw new TokenizerFormatException(path, where + ".id", "expected an integer");
            result.Add(new AddedToken(id, RequireString(t, "content", path, where), OptionalBool(t, "special"),
                OptionalBool(t, "lstrip"), OptionalBool(t, "rstrip"), OptionalBool(t, "single_word")));
        }
        return result;
    }

    private static void ReadNormalizer(JsonElement n, List<NormalizerStep> steps, string path, string where)
    {
        string type = RequireString(n, "type", path, where);
        switch (type)
        {
            case "Sequence":
                int i = 0;
                foreach (var child in Require(n, "normalizers", path, where).EnumerateArray())
                    ReadNormalizer(child, steps, path, $"{where}.normalizers[{i++}]");
                break;
            case "NFC": steps.Add(new NormalizerStep.Unicode(NormalizationForm.FormC)); break;
            case "NFD": steps.Add(new NormalizerStep.Unicode(NormalizationForm.FormD)); break;
            case "NFKC": steps.Add(new NormalizerStep.Unicode(NormalizationForm.FormKC)); break;
            case "NFKD": steps.Add(new NormalizerStep.Unicode(NormalizationForm.FormKD)); break;
            case "Prepend": steps.Add(new NormalizerStep.Prepend(RequireString(n, "prepend", path, where))); break;
            case "Replace":
                steps.Add(new NormalizerStep.Replace(ReadStringPattern(n, path, where), RequireString(n, "content", path, where)));
                break;
            default:
                throw new TokenizerFormatException(path, where + ".type", $"unsupported normalizer '{type}'");
        }
    }

    private static void ReadPreTokenizer(JsonElement p, PreTokenizerSpec spec, string path, string where)
    {
        string type = RequireString(p, "type", path, where);
        switch (type)
        {
            case "Sequence":
                int i = 0;
                foreach (var child in Require(p, "pretokenizers", path, where).EnumerateArray())
                    ReadPreTokenizer(child, spec, path, $"{where}.pretokenizers[{i++}]");
                break;
            case "Split":
                string behavior = RequireString(p, "behavior", path, where);
                if (behavior != "Isolated")
                    throw new TokenizerFormatException(path, where + ".behavior", $"unsupported split behavior '{behavior}' (only Isolated)");
                if (OptionalBool(p, "invert"))
                    throw new TokenizerFormatException(path, where + ".invert", "inverted splits are not supported");
                var pattern = Require(p, "pattern", path, where);
                if (pattern.TryGetProperty("Regex", out var regex)) spec.AddIsolatedSplit(regex.GetString()!, isRegex: true);
                else if (pattern.TryGetProperty("String", out var literal)) spec.AddIsolatedSplit(literal.GetString()!, isRegex: false);
                else throw new TokenizerFormatException(path, where + ".pattern", "expected {\"Regex\": ...} or {\"String\": ...}");
                break;
            case "ByteLevel":
                spec.ByteLevel = true;
                if (OptionalBool(p, "add_prefix_space"))
                {
                    if (spec.Splits) throw new TokenizerFormatException(path, where + ".add_prefix_space", "a prefix space after a Split is not supported");
                    spec.AddPrefixSpace = true;
                }
                if (!p.TryGetProperty("use_regex", out var useRegex) || useRegex.ValueKind != JsonValueKind.False)
                    spec.AddIsolatedSplit(PreTokenizerSpec.Gpt2Pattern, isRegex: true);
                break;
            case "Metaspace":
                spec.MetaspaceReplacement = RequireString(p, "replacement", path, where);
                spec.MetaspacePrependScheme = OptionalString(p, "prepend_scheme")
                    ?? (p.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.False ? "never" : "always");
                spec.MetaspaceSplit = !p.TryGetProperty("split", out var split) || split.ValueKind != JsonValueKind.False;
                break;
            default:
                throw new TokenizerFormatException(path, where + ".type", $"unsupported pre-tokenizer '{type}'");
        }
    }

    private static List<DecoderStep> ReadDecoder(JsonElement d, string path, string where)
    {
        var steps = new List<DecoderStep>();
        string type = RequireString(d, "type", path, where);
        switch (type)
        {
            case "Sequence":
                int i = 0;
                foreach (var child in Require(d, "decoders", path, where).EnumerateArray())
                    steps.AddRange(ReadDecoder(child, path, $"{where}.decoders[{i++}]"));
                break;
            case "ByteLevel": steps.Add(new DecoderStep.ByteLevel()); break;
            case "ByteFallback": steps.Add(new DecoderStep.ByteFallback()); break;
            case "Fuse": steps.Add(new DecoderStep.Fuse()); break;
            case "Replace":
                steps.Add(new DecoderStep.Replace(ReadStringPattern(d, path, where), RequireString(d, "content", path, where)));
                break;
            case "Strip":
                string content = RequireString(d, "content", path, where);
                if (content.Length != 1) throw new TokenizerFormatException(path, where + ".content", "expected one character");
                steps.Add(new DecoderStep.Strip(content[0], Require(d, "start", path, where).GetInt32(), Require(d, "stop", path, where).GetInt32()));
                break;
            case "Metaspace":
                string scheme = OptionalString(d, "prepend_scheme")
                    ?? (d.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.False ? "never" : "always");
                steps.Add(new DecoderStep.Metaspace(RequireString(d, "replacement", path, where), scheme != "never"));
                break;
            default:
                throw new TokenizerFormatException(path, where + ".type", $"unsupported decoder '{type}'");
        }
        return steps;
    }

    private static bool FindTrimOffsets(JsonElement post)
    {
        if (post.ValueKind != JsonValueKind.Object) return false;
        string? type = OptionalString(post, "type");
        if (type == "ByteLevel") return OptionalBool(post, "trim_offsets");
        if (type == "Sequence" && post.TryGetProperty("processors", out var list))
            return list.EnumerateArray().Any(FindTrimOffsets);
        return false;
    }

    private static string ReadStringPattern(JsonElement e, string path, string where)
    {
        var pattern = Require(e, "pattern", path, where);
        if (pattern.TryGetProperty("String", out var s) && s.GetString() is { } str) return str;
        throw new TokenizerFormatException(path, where + ".pattern", "only literal {\"String\": ...} patterns are supported");
    }

    internal static JsonElement Require(JsonElement e, string name, string path, string where)
    {
        string full = where.Length == 0 ? name : $"{where}.{name}";
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            throw new TokenizerFormatException(path, full, "missing");
        return v;
    }

    internal static string RequireString(JsonElement e, string name, string path, string where)
    {
        var v = Require(e, name, path, where);
        if (v.ValueKind != JsonValueKind.String)
            throw new TokenizerFormatException(path, where.Length == 0 ? name : $"{where}.{name}", "expected a string");
        return v.GetString()!;
    }

    internal static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static bool OptionalBool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
