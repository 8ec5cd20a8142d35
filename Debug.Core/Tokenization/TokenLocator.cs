using Debug.Core.Tasks;

namespace Debug.Core.Tokenization;

/// <summary>
/// Maps characters of an encoded text to token positions, the question activation patching asks ("which position
/// holds this literal?").
/// </summary>
/// <remarks>
/// The rule: a character belongs to the first token whose offset range contains it — for a byte-level token that
/// splits a character's bytes across two tokens, that is the token holding its first byte. A span belongs to the
/// token that holds its first character, even when that token also holds characters before the span (Qwen3 encodes
/// "\n#c" with "#c" as one token, so the span of "c" maps to "#c") or continues past it. Tokens with empty ranges
/// (BOS/EOS added by the post-processor) hold no character. A character that no token covers (only possible with
/// trim_offsets, which leaves spaces out of ranges) belongs to the next token that covers a later character.
/// </remarks>
public static class TokenLocator
{
    /// <summary>Position of the token holding character <paramref name="charIndex"/> (UTF-16 index).</summary>
    /// <exception cref="ArgumentOutOfRangeException">No token covers the character or anything after it.</exception>
    public static int TokenAt(IReadOnlyList<TokenOffset> offsets, int charIndex)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        int following = -1;
        for (int i = 0; i < offsets.Count; i++)
        {
            var o = offsets[i];
            if (o.IsEmpty) continue;
            if (o.Contains(charIndex)) return i;
            if (following < 0 && o.Start > charIndex) following = i;
        }
        return following >= 0
            ? following
            : throw new ArgumentOutOfRangeException(nameof(charIndex), charIndex, "no token covers this character or any later one");
    }

    /// <summary>Position of the token holding the first character of <paramref name="span"/>.</summary>
    /// <exception cref="ArgumentException">The span is empty.</exception>
    public static int TokenFor(IReadOnlyList<TokenOffset> offsets, CharSpan span)
    {
        if (span.Length <= 0) throw new ArgumentException($"empty span {span}", nameof(span));
        return TokenAt(offsets, span.Start);
    }

    /// <summary>All positions whose range overlaps <paramref name="span"/>, in order (e.g. a multi-token literal).</summary>
    public static IReadOnlyList<int> TokensOverlapping(IReadOnlyList<TokenOffset> offsets, CharSpan span)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var result = new List<int>();
        for (int i = 0; i < offsets.Count; i++)
        {
            var o = offsets[i];
            if (!o.IsEmpty && o.Start < span.End && span.Start < o.End) result.Add(i);
        }
        return result;
    }

    /// <summary>
    /// A named target: the token for <paramref name="span"/> under the rule above, with whether the token covers
    /// exactly the span (false when it merges neighbouring characters or the span needs several tokens).
    /// </summary>
    public static TokenTarget Target(string name, TokenEncoding encoding, CharSpan span)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        int position = TokenFor(encoding.Offsets, span);
        var range = encoding.Offsets[position];
        return new TokenTarget(name, position, span, range, range.Start == span.Start && range.End == span.End);
    }
}

/// <summary>A token position chosen for a character span of the prompt.</summary>
/// <param name="Name">What it is, e.g. "ref_depth_2_rhs", "query_var", "prediction".</param>
/// <param name="Position">Index into the encoding's ids.</param>
/// <param name="Span">The prompt characters it stands for (UTF-16 indices).</param>
/// <param name="TokenRange">The token's own range, which may extend beyond <paramref name="Span"/>.</param>
/// <param name="Exact">Whether the token covers exactly <paramref name="Span"/>.</param>
public sealed record TokenTarget(string Name, int Position, CharSpan Span, TokenOffset TokenRange, bool Exact);
