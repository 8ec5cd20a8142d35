namespace Debug.Core.Tokenization;

/// <summary>
/// Everything this project uses from a tokenizer.json (+ tokenizer_config.json), already validated. Built by
/// <see cref="TokenizerJsonReader"/>; turned into a working tokenizer by <see cref="ModelTokenizer"/>.
/// </summary>
internal sealed class TokenizerDefinition
{
    /// <summary>The tokenizer.json path, for messages.</summary>
    public required string FilePath { get; init; }

    /// <summary>model.vocab.</summary>
    public required Dictionary<string, int> Vocab { get; init; }

    /// <summary>model.merges in Microsoft.ML.Tokenizers' "left right" form.</summary>
    public required List<string> Merges { get; init; }

    /// <summary>added_tokens.</summary>
    public required List<AddedToken> AddedTokens { get; init; }

    /// <summary>normalizer, flattened.</summary>
    public required List<NormalizerStep> Normalizers { get; init; }

    /// <summary>pre_tokenizer, flattened.</summary>
    public required PreTokenizerSpec PreTokenizer { get; init; }

    /// <summary>decoder, flattened; null when the file has none (tokens are then joined with spaces).</summary>
    public List<DecoderStep>? Decoders { get; init; }

    /// <summary>model.unk_token.</summary>
    public string? UnknownToken { get; init; }

    /// <summary>model.fuse_unk.</summary>
    public bool FuseUnknown { get; init; }

    /// <summary>model.byte_fallback: unknown characters become their UTF-8 bytes as "&lt;0xNN&gt;" tokens.</summary>
    public bool ByteFallback { get; init; }

    /// <summary>model.ignore_merges: a pre-token found whole in the vocabulary is emitted without running merges.</summary>
    public bool IgnoreMerges { get; init; }

    /// <summary>model.continuing_subword_prefix.</summary>
    public string? ContinuingSubwordPrefix { get; init; }

    /// <summary>model.end_of_word_suffix.</summary>
    public string? EndOfWordSuffix { get; init; }

    /// <summary>Ids the post-processor puts before the text when special tokens are added.</summary>
    public List<int> PrefixIds { get; set; } = [];

    /// <summary>Ids the post-processor puts after the text when special tokens are added.</summary>
    public List<int> SuffixIds { get; set; } = [];

    /// <summary>ByteLevel post-processor's trim_offsets: offsets leave out a token's leading/trailing spaces.</summary>
    public bool TrimOffsets { get; init; }

    /// <summary>tokenizer_config bos_token (or the template's first special token).</summary>
    public string? BosToken { get; set; }

    /// <summary>tokenizer_config eos_token.</summary>
    public string? EosToken { get; set; }

    /// <summary>tokenizer_config pad_token.</summary>
    public string? PadToken { get; set; }

    /// <summary>tokenizer_config clean_up_tokenization_spaces (transformers' decode-time cleanup).</summary>
    public bool CleanUpTokenizationSpaces { get; set; }
}
