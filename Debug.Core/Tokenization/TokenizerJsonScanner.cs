using System.Buffers;
using System.Text.Json;

namespace Debug.Core.Tokenization;

/// <summary>
/// Streams through a tokenizer.json once with <see cref="Utf8JsonReader"/>, reading <c>model.vocab</c> and
/// <c>model.merges</c> (hundreds of thousands of entries, nearly all of the file) straight into their final
/// collections, and keeping everything else as a small <see cref="JsonDocument"/>. Building a DOM of the whole file
/// first took about a third of Qwen3's load time.
/// </summary>
internal static class TokenizerJsonScanner
{
    /// <summary>The result: the file without vocab/merges, plus those two (null when absent or not of the expected shape).</summary>
    public sealed record Result(JsonDocument Slim, Dictionary<string, int>? Vocab, List<string>? Merges);

    /// <summary>Scans <paramref name="json"/> (the bytes of <paramref name="path"/>).</summary>
    public static Result Scan(byte[] json, string path)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new TokenizerFormatException(path, "$", "expected a JSON object");

        Dictionary<string, int>? vocab = null;
        List<string>? merges = null;
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                writer.WritePropertyName(name);
                if (name != "model" || reader.TokenType != JsonTokenType.StartObject)
                {
                    JsonElement.ParseValue(ref reader).WriteTo(writer);
                    continue;
                }
                writer.WriteStartObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string prop = reader.GetString()!;
                    reader.Read();
                    if (prop == "vocab" && reader.TokenType == JsonTokenType.StartObject)
                        vocab = ReadVocab(ref reader, path);
                    else if (prop == "merges" && reader.TokenType == JsonTokenType.StartArray)
                        merges = ReadMerges(ref reader, path);
                    else
                    {
                        writer.WritePropertyName(prop);
                        JsonElement.ParseValue(ref reader).WriteTo(writer);
                    }
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return new Result(JsonDocument.Parse(buffer.WrittenMemory), vocab, merges);
    }

    private static Dictionary<string, int> ReadVocab(ref Utf8JsonReader reader, string path)
    {
        var vocab = new Dictionary<string, int>(160_000, StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string token = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int id) || id < 0)
                throw new TokenizerFormatException(path, $"model.vocab[\"{token}\"]", "expected a non-negative integer id");
            vocab[token] = id;
        }
        return vocab;
    }

    private static List<string> ReadMerges(ref Utf8JsonReader reader, string path)
    {
        var merges = new List<string>(300_000);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string where = $"model.merges[{merges.Count}]";
            if (reader.TokenType == JsonTokenType.String)
            {
                // Older files: "left right", already Microsoft.ML.Tokenizers' form.
                string s = reader.GetString()!;
                int space = s.IndexOf(' ');
                if (space <= 0 || space == s.Length - 1 || s.IndexOf(' ', space + 1) >= 0)
                    throw new TokenizerFormatException(path, where, $"expected \"left right\", got \"{s}\"");
                merges.Add(s);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                // Newer files: ["left", "right"], which allows spaces inside tokens; Microsoft.ML.Tokenizers takes
                // only the joined form, so a token containing a space cannot be represented.
                string? a = reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                string? b = a is not null && reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (b is null || !reader.Read() || reader.TokenType != JsonTokenType.EndArray)
                    throw new TokenizerFormatException(path, where, "expected [left, right]");
                if (a!.Length == 0 || b.Length == 0 || a.Contains(' ') || b.Contains(' '))
                    throw new TokenizerFormatException(path, where, "merge parts must be non-empty and contain no space");
                merges.Add(string.Concat(a, " ", b));
            }
            else
            {
                throw new TokenizerFormatException(path, where, "expected \"left right\" or [left, right]");
            }
        }
        return merges;
    }
}
