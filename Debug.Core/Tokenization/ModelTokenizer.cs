using System.Text;
using Microsoft.ML.Tokenizers;

namespace Debug.Core.Tokenization;

/// <summary>
/// The tokenizer the rest of Debug uses: a HuggingFace checkpoint's tokenizer.json reproduced on top of
/// Microsoft.ML.Tokenizers, with HuggingFace's ids, tokens, offsets into the original text, and decoding.
/// </summary>
/// <remarks>
/// Pipeline, as in HuggingFace: added tokens are cut out of the raw text; each remaining segment is normalized
/// (keeping an alignment to the original), rewritten and split by the pre-tokenizer, and each piece is encoded by
/// Microsoft.ML.Tokenizers' BPE; token ranges are mapped back through the alignment; BOS/EOS come from the
/// post-processor. See <see cref="FromFile"/> for the families supported. Instances are immutable; Encode and
/// Decode may be called from several threads at once.
/// </remarks>
public sealed partial class ModelTokenizer
{
    private readonly SegmentModel _model;
    private readonly AddedTokenMatcher _addedTokens;
    private readonly IReadOnlyList<NormalizerStep> _normalizers;
    private readonly PreTokenizerSpec _preTokenizer;
    private readonly IReadOnlyList<DecoderStep>? _decoders;
    private readonly string?[] _idToToken;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly HashSet<int> _specialIds;
    private readonly int[] _prefixIds;
    private readonly int[] _suffixIds;
    private readonly bool _trimOffsets;
    private readonly bool _cleanUpSpaces;

    private ModelTokenizer(string name, SegmentModel model, TokenizerDefinition def, string?[] idToToken)
    {
        Name = name;
        _model = model;
        _addedTokens = new AddedTokenMatcher(def.AddedTokens);
        _normalizers = def.Normalizers;
        _preTokenizer = def.PreTokenizer;
        _decoders = def.Decoders;
        _idToToken = idToToken;
        _tokenToId = def.Vocab;
        foreach (var t in def.AddedTokens) _tokenToId[t.Content] = t.Id;
        _specialIds = def.AddedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        _prefixIds = [.. def.PrefixIds];
        _suffixIds = [.. def.SuffixIds];
        _trimOffsets = def.TrimOffsets;
        _cleanUpSpaces = def.CleanUpTokenizationSpaces;
        BosId = def.BosToken is null ? null : TokenToId(def.BosToken);
        EosId = def.EosToken is null ? null : TokenToId(def.EosToken);
        PadId = def.PadToken is null ? null : TokenToId(def.PadToken);
    }

    /// <summary>A short name for messages and benchmarks (the file name, or "gpt2").</summary>
    public string Name { get; }

    /// <summary>Beginning-of-sequence id (tokenizer_config's bos_token), or null when the model has none.</summary>
    public int? BosId { get; }

    /// <summary>End-of-sequence id (tokenizer_config's eos_token), or null.</summary>
    public int? EosId { get; }

    /// <summary>Padding id (tokenizer_config's pad_token), or null.</summary>
    public int? PadId { get; }

    /// <summary>Number of ids, added tokens included (HuggingFace's <c>len(tokenizer)</c>); may be below the model's embedding rows.</summary>
    public int VocabSize => _idToToken.Length;

    /// <summary>Ids that encoding with special tokens puts before the text (e.g. llama's BOS).</summary>
    public IReadOnlyList<int> PrefixIds => _prefixIds;

    /// <summary>Ids that encoding with special tokens puts after the text.</summary>
    public IReadOnlyList<int> SuffixIds => _suffixIds;

    /// <summary>The id of a vocabulary or added token string, or null.</summary>
    public int? TokenToId(string token) => _tokenToId.TryGetValue(token, out int id) ? id : null;

    /// <summary>The vocabulary string of <paramref name="id"/>, or null when no token has that id.</summary>
    public string? IdToToken(int id) => id >= 0 && id < _idToToken.Length ? _idToToken[id] : null;

    /// <summary>Whether <paramref name="id"/> is a special added token (skipped by <c>Decode(ids, skipSpecialTokens: true)</c>).</summary>
    public bool IsSpecial(int id) => _specialIds.Contains(id);

    /// <summary>
    /// Encodes <paramref name="text"/> as HuggingFace's <c>tokenizer(text, add_special_tokens=...)</c> does.
    /// Added tokens written in the text (e.g. "&lt;|im_start|&gt;") become their single ids either way.
    /// </summary>
    public TokenEncoding Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        var offsets = new List<TokenOffset>(text.Length / 3 + 4);
        if (addSpecialTokens)
            foreach (int id in _prefixIds) { ids.Add(id); offsets.Add(default); }

        var segments = new List<(int Start, int End, int TokenId)>();
        _addedTokens.Split(text, segments);
        var pieces = new List<(int Start, int Length)>();
        var raw = new List<RawToken>();
        foreach (var (start, end, tokenId) in segments)
        {
            if (tokenId >= 0)
            {
                ids.Add(tokenId);
                offsets.Add(new TokenOffset(start, end));
                continue;
            }
            var aligned = AlignedText.FromOriginal(text.AsSpan(start, end - start), start);
            foreach (var step in _normalizers) step.Apply(aligned);
            _preTokenizer.Rewrite(aligned, start);
            string normalized = aligned.Text;
            if (_preTokenizer.Splits) _preTokenizer.Split(normalized, pieces);
            else { pieces.Clear(); if (normalized.Length > 0) pieces.Add((0, normalized.Length)); }

            raw.Clear();
            foreach (var (ps, pl) in pieces) _model.EncodePiece(normalized, ps, pl, raw);
            foreach (var t in raw)
            {
                ids.Add(t.Id);
                offsets.Add(TrimSpaces(text, aligned.ToOriginal(t.Start, t.End)));
            }
        }

        if (addSpecialTokens)
            foreach (int id in _suffixIds) { ids.Add(id); offsets.Add(default); }

        var tokens = new string[ids.Count];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = IdToToken(ids[i]) ?? "";
        return new TokenEncoding(text, [.. ids], tokens, [.. offsets]);
    }

    // ByteLevel post-processor with trim_offsets: a token's range leaves out its leading and trailing spaces.
    private TokenOffset TrimSpaces(string text, TokenOffset o)
    {
        if (!_trimOffsets) return o;
        int s = o.Start, e = o.End;
        while (s < e && text[s] == ' ') s++;
        while (e > s && text[e - 1] == ' ') e--;
        return s < e ? new TokenOffset(s, e) : o;
    }

    /// <summary>
    /// Decodes ids as HuggingFace's <c>tokenizer.decode(ids, skip_special_tokens=...)</c>: the decoder chain of
    /// tokenizer.json over all tokens, then transformers' clean-up of spaces when tokenizer_config asks for it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id has no token.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>();
        foreach (int id in ids)
        {
            string token = IdToToken(id) ?? throw new ArgumentOutOfRangeException(nameof(ids), id, $"{Name}: no token has id {id}");
            if (skipSpecialTokens && _specialIds.Contains(id)) continue;
            tokens.Add(token);
        }
        string text;
        if (_decoders is null) text = string.Join(' ', tokens);
        else
        {
            foreach (var step in _decoders) tokens = step.Apply(tokens);
            text = string.Concat(tokens);
        }
        return _cleanUpSpaces ? CleanUpTokenizationSpaces(text) : text;
    }

    // transformers' PreTrainedTokenizerBase.clean_up_tokenization.
    private static string CleanUpTokenizationSpaces(string text) => new StringBuilder(text)
        .Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",").Replace(" ' ", "'")
        .Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s").Replace(" 've", "'ve").Replace(" 're", "'re")
        .ToString();
}
