namespace Debug.Core.Tokenization;

/// <summary>
/// The result of <see cref="ModelTokenizer.Encode"/>: ids, their vocabulary strings and their character ranges in the
/// text that was encoded.
/// </summary>
/// <remarks>
/// Offsets come in two units. <see cref="Offsets"/> are UTF-16 indices into <see cref="Text"/> (what C# string
/// indexing, <c>Substring</c> and the generators' CharSpan use). <see cref="CodePointOffsets"/> count Unicode code
/// points, which is what HuggingFace reports (Python string indices): the two differ only after a character outside
/// the Basic Multilingual Plane, such as an emoji, which is two UTF-16 units but one code point. Both follow
/// HuggingFace's rule: a token spans from the character holding its first byte to the end of the character holding
/// its last byte, so two byte-level tokens that split one character both include it.
/// </remarks>
public sealed class TokenEncoding
{
    private TokenOffset[]? _codePointOffsets;

    internal TokenEncoding(string text, int[] ids, string[] tokens, TokenOffset[] offsets)
    {
        Text = text;
        Ids = ids;
        Tokens = tokens;
        Offsets = offsets;
    }

    /// <summary>The text that was encoded.</summary>
    public string Text { get; }

    /// <summary>Token ids, BOS/EOS included when they were requested.</summary>
    public IReadOnlyList<int> Ids { get; }

    /// <summary>Vocabulary strings of the ids (byte-level spelling for byte-level models, e.g. "Ġ=").</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>[Start, End) of each token in <see cref="Text"/>, in UTF-16 units; (0, 0) for added BOS/EOS.</summary>
    public IReadOnlyList<TokenOffset> Offsets { get; }

    /// <summary>Number of tokens.</summary>
    public int Count => Ids.Count;

    /// <summary>[Start, End) of each token in Unicode code points — exactly HuggingFace's offsets.</summary>
    public IReadOnlyList<TokenOffset> CodePointOffsets => _codePointOffsets ??= ToCodePoints();

    private TokenOffset[] ToCodePoints()
    {
        // codePointAt[i] = number of code points before UTF-16 index i.
        var codePointAt = new int[Text.Length + 1];
        int count = 0;
        for (int i = 0; i < Text.Length; i++)
        {
            codePointAt[i] = count;
            if (!(char.IsLowSurrogate(Text[i]) && i > 0 && char.IsHighSurrogate(Text[i - 1]))) count++;
        }
        codePointAt[Text.Length] = count;
        var result = new TokenOffset[Offsets.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = new TokenOffset(codePointAt[Offsets[i].Start], codePointAt[Offsets[i].End]);
        return result;
    }
}
