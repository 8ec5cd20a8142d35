using System.Text.Json;

namespace Debug.Core.Tokenization;

/// <summary>
/// Reads which special tokens HuggingFace's post-processor puts around a single sequence (TemplateProcessing,
/// BertProcessing/RobertaProcessing, or a Sequence containing one), and applies tokenizer_config.json's BOS/EOS/pad
/// settings on top.
/// </summary>
internal static class PostProcessorReader
{
    /// <summary>Fills <see cref="TokenizerDefinition.PrefixIds"/>/<see cref="TokenizerDefinition.SuffixIds"/> from <paramref name="post"/>.</summary>
    public static void Read(JsonElement post, TokenizerDefinition def, string path, string where)
    {
        string type = TokenizerJsonReader.RequireString(post, "type", path, where);
        switch (type)
        {
            case "ByteLevel":
                break;
            case "Sequence":
                int i = 0;
                foreach (var p in TokenizerJsonReader.Require(post, "processors", path, where).EnumerateArray())
                    Read(p, def, path, $"{where}.processors[{i++}]");
                break;
            case "TemplateProcessing":
                ReadTemplate(post, def, path, where);
                break;
            case "BertProcessing" or "RobertaProcessing":
                def.PrefixIds = [TokenizerJsonReader.Require(post, "cls", path, where)[1].GetInt32()];
                def.SuffixIds = [TokenizerJsonReader.Require(post, "sep", path, where)[1].GetInt32()];
                break;
            default:
                throw new TokenizerFormatException(path, where + ".type", $"unsupported post-processor '{type}'");
        }
    }

    private static void ReadTemplate(JsonElement post, TokenizerDefinition def, string path, string where)
    {
        var specials = TokenizerJsonReader.Require(post, "special_tokens", path, where);
        var prefix = new List<int>();
        var suffix = new List<int>();
        bool seenSequence = false;
        int i = 0;
        foreach (var piece in TokenizerJsonReader.Require(post, "single", path, where).EnumerateArray())
        {
            string at = $"{where}.single[{i++}]";
            if (piece.TryGetProperty("Sequence", out _))
            {
                seenSequence = true;
                continue;
            }
            string name = TokenizerJsonReader.RequireString(TokenizerJsonReader.Require(piece, "SpecialToken", path, at), "id", path, at + ".SpecialToken");
            if (!specials.TryGetProperty(name, out var special))
                throw new TokenizerFormatException(path, $"{where}.special_tokens", $"template names '{name}', which is not listed");
            var ids = TokenizerJsonReader.Require(special, "ids", path, $"{where}.special_tokens[\"{name}\"]").EnumerateArray().Select(x => x.GetInt32());
            (seenSequence ? suffix : prefix).AddRange(ids);
            if (!seenSequence) def.BosToken ??= name;
        }
        def.PrefixIds = prefix;
        def.SuffixIds = suffix;
    }

    /// <summary>
    /// Applies tokenizer_config.json: BOS/EOS/pad token names, clean_up_tokenization_spaces, and — for the Llama and
    /// Gemma tokenizer classes, whose transformers implementation rebuilds the post-processor from them —
    /// add_bos_token/add_eos_token.
    /// </summary>
    public static void ApplyConfig(string configPath, TokenizerDefinition def, Func<string, int?> tokenToId)
    {
        using var doc = TokenizerJsonReader.ParseFile(configPath);
        var root = doc.RootElement;
        def.BosToken = TokenName(root, "bos_token") ?? (root.TryGetProperty("bos_token", out var b) && b.ValueKind == JsonValueKind.Null ? null : def.BosToken);
        def.EosToken = TokenName(root, "eos_token");
        def.PadToken = TokenName(root, "pad_token");
        def.CleanUpTokenizationSpaces = TokenizerJsonReader.OptionalBool(root, "clean_up_tokenization_spaces");

        string tokenizerClass = TokenizerJsonReader.OptionalString(root, "tokenizer_class") ?? "";
        bool classUsesFlags = tokenizerClass.StartsWith("Llama", StringComparison.Ordinal)
            || tokenizerClass.StartsWith("CodeLlama", StringComparison.Ordinal)
            || tokenizerClass.StartsWith("Gemma", StringComparison.Ordinal);
        if (!classUsesFlags) return;
        if (root.TryGetProperty("add_bos_token", out var addBos) && addBos.ValueKind is JsonValueKind.True or JsonValueKind.False)
            def.PrefixIds = addBos.GetBoolean() ? IdOrFail(def.BosToken, "bos_token") : [];
        if (root.TryGetProperty("add_eos_token", out var addEos) && addEos.ValueKind is JsonValueKind.True or JsonValueKind.False)
            def.SuffixIds = addEos.GetBoolean() ? IdOrFail(def.EosToken, "eos_token") : [];

        List<int> IdOrFail(string? token, string field) =>
            token is not null && tokenToId(token) is int id
                ? [id]
                : throw new TokenizerFormatException(configPath, field, $"token '{token}' is not in the vocabulary");
    }

    // A token in tokenizer_config.json is either a string or an AddedToken object {"content": ...}.
    private static string? TokenName(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object => TokenizerJsonReader.OptionalString(v, "content"),
            _ => null,
        };
    }
}
