using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Debug.Core.Reports;
using Debug.Core.Serialization;

namespace Debug.Core.Training;

/// <summary>
/// A byte-level BPE vocabulary learned from a corpus of rendered prompts, written as a standard HuggingFace
/// tokenizer.json in Qwen2/Qwen3's layout (the same split regex, ByteLevel without its own regex, list-of-pairs merges).
/// Why merges at all: the Python framework's templates spend 250-360 bytes of fixed instruction text on every prompt,
/// so a byte-per-token model computes mostly template; with merges each word is one token and a step costs a
/// fraction. Qwen's regex keeps every digit a token of its own, so numbers (and answers) are spelled digit by digit,
/// and a prompt ending in <c>is: </c> keeps its final space as a separate token.
/// Ids: 0..255 are the bytes (id = byte value), then the merges in the order learned, then <c>&lt;|endoftext|&gt;</c>.
/// </summary>
public sealed class LearnedBpeVocabulary
{
    /// <summary>Qwen2/Qwen3's pre-tokenizer split pattern, verbatim.</summary>
    public const string SplitPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static readonly Regex Split = new(SplitPattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private LearnedBpeVocabulary(IReadOnlyList<(string Left, string Right)> merges) => Merges = merges;

    /// <summary>Merges in priority order (byte-level symbols, as tokenizer.json spells them).</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>Vocabulary size: 256 bytes, the merges, and end-of-text.</summary>
    public int Size => 256 + Merges.Count + 1;

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> (EOS and padding): the last id.</summary>
    public int EndOfText => 256 + Merges.Count;

    /// <summary>
    /// Learns up to <paramref name="maxMerges"/> merges from <paramref name="corpus"/>: classic BPE over the
    /// pre-tokenized words, merging the most frequent adjacent pair each round and stopping when no pair occurs at
    /// least <paramref name="minCount"/> times. Ties go to the ordinally smallest pair, so the result depends only on
    /// the corpus.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public static LearnedBpeVocabulary Learn(IEnumerable<string> corpus, int maxMerges, int minCount = 2)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMerges);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minCount);
        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string text in corpus)
            foreach (Match m in Split.Matches(text))
            {
                string symbols = ToSymbols(m.Value);
                wordCounts[symbols] = wordCounts.GetValueOrDefault(symbols) + 1;
            }
        var words = wordCounts.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (Parts: p.Key.Select(c => c.ToString()).ToList(), Count: p.Value)).ToList();
        var merges = new List<(string, string)>();
        while (merges.Count < maxMerges)
        {
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (parts, count) in words)
                for (int i = 0; i + 1 < parts.Count; i++)
                    pairs[(parts[i], parts[i + 1])] = pairs.GetValueOrDefault((parts[i], parts[i + 1])) + count;
            if (pairs.Count == 0) break;
            var best = pairs.OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).First();
            if (best.Value < minCount) break;
            merges.Add(best.Key);
            string joined = best.Key.Item1 + best.Key.Item2;
            foreach (var (parts, _) in words)
                for (int i = 0; i + 1 < parts.Count; i++)
                    if (parts[i] == best.Key.Item1 && parts[i + 1] == best.Key.Item2)
                    {
                        parts[i] = joined;
                        parts.RemoveAt(i + 1);
                    }
        }
        return new LearnedBpeVocabulary(merges);
    }

    /// <summary>Reads the merges back from a tokenizer.json this class wrote.</summary>
    /// <exception cref="InvalidDataException">The file has no list-of-pairs merges.</exception>
    public static LearnedBpeVocabulary Read(string tokenizerJson)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(tokenizerJson));
        var merges = node?["model"]?["merges"]?.AsArray()
            ?? throw new InvalidDataException($"{tokenizerJson}: no model.merges");
        return new LearnedBpeVocabulary([.. merges.Select(m => (m![0]!.GetValue<string>(), m[1]!.GetValue<string>()))]);
    }

    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="folder"/> (atomically).</summary>
    public void WriteFiles(string folder, int modelMaxLength)
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++) vocab[EmbeddedVocabulary.ByteToSymbol(b)] = b;
        for (int i = 0; i < Merges.Count; i++) vocab[Merges[i].Left + Merges[i].Right] = 256 + i;
        JsonObject ByteLevel() => new() { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false };
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(new JsonObject
            {
                ["id"] = EndOfText, ["content"] = EmbeddedVocabulary.EndOfTextToken, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = SplitPattern },
                        ["behavior"] = "Isolated", ["invert"] = false,
                    },
                    ByteLevel()),
            },
            ["post_processor"] = ByteLevel(),
            ["decoder"] = ByteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. Merges.Select(m => (JsonNode?)new JsonArray(m.Left, m.Right))]),
            },
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer.json"), DebugJson.Write(tokenizer));
        var config = new JsonObject
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["bos_token"] = null,
            ["eos_token"] = EmbeddedVocabulary.EndOfTextToken,
            ["pad_token"] = EmbeddedVocabulary.EndOfTextToken,
            ["unk_token"] = null,
            ["add_bos_token"] = false,
            ["clean_up_tokenization_spaces"] = false,
            ["model_max_length"] = modelMaxLength,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), DebugJson.Write(config));
    }

    private static string ToSymbols(string text)
    {
        var sb = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(text)) sb.Append(EmbeddedVocabulary.ByteToSymbol(b));
        return sb.ToString();
    }
}
