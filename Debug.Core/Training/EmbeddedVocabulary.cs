using System.Text;
using System.Text.Json;
using Debug.Core.Reports;
using Debug.Core.Serialization;

namespace Debug.Core.Training;

/// <summary>
/// The embedded model's vocabulary: byte-level BPE with one token per byte and no merges, so every string encodes,
/// token id = byte value, and the files are a standard HuggingFace tokenizer.json that transformers and tokenizers
/// load unchanged. Id 256 is <c>&lt;|endoftext|&gt;</c> (EOS and padding).
/// </summary>
public static class EmbeddedVocabulary
{
    /// <summary>Token ids 0..255 are bytes; 256 is end-of-text.</summary>
    public const int Size = 257;

    /// <summary>End-of-text token, also used for padding.</summary>
    public const int EndOfText = 256;

    /// <summary>The end-of-text token's text.</summary>
    public const string EndOfTextToken = "<|endoftext|>";

    /// <summary>Encodes text as UTF-8 bytes, which are this vocabulary's ids.</summary>
    public static int[] Encode(string text) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    /// <summary>
    /// GPT-2's byte-to-unicode table: printable bytes map to themselves, the rest to code points from 256 up, so
    /// that byte-level BPE vocabularies hold no whitespace or control characters.
    /// </summary>
    public static string ByteToSymbol(int b)
    {
        bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        if (printable) return ((char)b).ToString();
        int shifted = 0;
        for (int i = 0; i < b; i++)
            if (!(i is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF)) shifted++;
        return ((char)(256 + shifted)).ToString();
    }

    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="folder"/> (atomically).</summary>
    public static void WriteFiles(string folder)
    {
        var vocab = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++) vocab[ByteToSymbol(b)] = b;
        var byteLevel = new Dictionary<string, object?> { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var tokenizer = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["id"] = EndOfText, ["content"] = EndOfTextToken, ["single_word"] = false, ["lstrip"] = false,
                    ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
                },
            },
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel,
            ["post_processor"] = byteLevel,
            ["decoder"] = byteLevel,
            ["model"] = new Dictionary<string, object?>
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab, ["merges"] = Array.Empty<string>(),
            },
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer.json"), DebugJson.Serialize(tokenizer));
        var config = new Dictionary<string, object?>
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["bos_token"] = null,
            ["eos_token"] = EndOfTextToken,
            ["pad_token"] = EndOfTextToken,
            ["unk_token"] = null,
            ["add_bos_token"] = false,
            ["clean_up_tokenization_spaces"] = false,
            ["model_max_length"] = 512,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), DebugJson.Serialize(config));
    }
}
