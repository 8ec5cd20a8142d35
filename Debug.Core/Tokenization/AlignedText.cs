using System.Globalization;
using System.Text;

namespace Debug.Core.Tokenization;

/// <summary>
/// A normalized string that remembers, for each of its UTF-16 units, which range of the original text it came from.
/// HuggingFace reports offsets in the original text, while Microsoft.ML.Tokenizers reports them in whatever string it
/// was given; encoding the normalized text and mapping each token back through this alignment bridges the two.
/// </summary>
internal sealed class AlignedText
{
    private readonly StringBuilder _text;
    private readonly List<TokenOffset> _origin;

    private AlignedText(StringBuilder text, List<TokenOffset> origin)
    {
        _text = text;
        _origin = origin;
    }

    /// <summary>Wraps <paramref name="segment"/>, which starts at <paramref name="baseOffset"/> in the original text.</summary>
    public static AlignedText FromOriginal(ReadOnlySpan<char> segment, int baseOffset)
    {
        var origin = new List<TokenOffset>(segment.Length + 1);
        for (int i = 0; i < segment.Length; i++)
        {
            // A surrogate pair is one character to HuggingFace: both halves map to the whole pair.
            if (char.IsHighSurrogate(segment[i]) && i + 1 < segment.Length && char.IsLowSurrogate(segment[i + 1]))
            {
                var pair = new TokenOffset(baseOffset + i, baseOffset + i + 2);
                origin.Add(pair);
                origin.Add(pair);
                i++;
            }
            else
            {
                origin.Add(new TokenOffset(baseOffset + i, baseOffset + i + 1));
            }
        }
        return new AlignedText(new StringBuilder(segment.Length + 1).Append(segment), origin);
    }

    /// <summary>The normalized text.</summary>
    public string Text => _text.ToString();

    /// <summary>Whether the normalized text starts with <paramref name="prefix"/> (without building the string).</summary>
    public bool StartsWith(string prefix)
    {
        if (prefix.Length > _text.Length) return false;
        for (int i = 0; i < prefix.Length; i++)
            if (_text[i] != prefix[i]) return false;
        return true;
    }

    /// <summary>Length of the normalized text in UTF-16 units.</summary>
    public int Length => _text.Length;

    /// <summary>
    /// Maps a range of the normalized text back to the original: from the start of the first unit's origin to the
    /// end of the last unit's origin, which is how HuggingFace's NormalizedString converts ranges.
    /// </summary>
    public TokenOffset ToOriginal(int start, int end)
    {
        if (end <= start) return start < _origin.Count ? new TokenOffset(_origin[start].Start, _origin[start].Start) : default;
        return new TokenOffset(_origin[start].Start, _origin[end - 1].End);
    }

    /// <summary>
    /// Unicode normalization (NFC and friends). Applied one grapheme cluster at a time, so a composed character maps
    /// to the whole cluster it came from (e.g. "e" + U+0301 to "é" spans both). Compositions never cross grapheme
    /// cluster boundaries in practice, so the result equals normalizing the whole string.
    /// </summary>
    public void Normalize(NormalizationForm form)
    {
        string text = _text.ToString();
        if (text.IsNormalized(form)) return;

        var newText = new StringBuilder(text.Length);
        var newOrigin = new List<TokenOffset>(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            int len = StringInfo.GetNextTextElementLength(text, i);
            string cluster = text.Substring(i, len);
            string normalized = cluster.Normalize(form);
            if (normalized == cluster)
            {
                for (int k = 0; k < len; k++) newOrigin.Add(_origin[i + k]);
            }
            else
            {
                var whole = new TokenOffset(_origin[i].Start, _origin[i + len - 1].End);
                for (int k = 0; k < normalized.Length; k++) newOrigin.Add(whole);
            }
            newText.Append(normalized);
            i += len;
        }
        _text.Clear().Append(newText);
        _origin.Clear();
        _origin.AddRange(newOrigin);
    }

    /// <summary>
    /// Puts <paramref name="prefix"/> in front of a non-empty text. The new characters align with the first original
    /// character, as HuggingFace's Prepend normalizer does (so llama's "▁" shares the first character's offsets).
    /// </summary>
    public void Prepend(string prefix)
    {
        if (_text.Length == 0 || prefix.Length == 0) return;
        var first = _origin[0];
        _text.Insert(0, prefix);
        _origin.InsertRange(0, Enumerable.Repeat(first, prefix.Length));
    }

    /// <summary>Replaces every occurrence of a literal string; each replacement aligns with the text it replaced.</summary>
    public void Replace(string pattern, string content)
    {
        if (pattern.Length == 0) return;
        string text = _text.ToString();
        int at = text.IndexOf(pattern, StringComparison.Ordinal);
        if (at < 0) return;

        var newText = new StringBuilder(text.Length);
        var newOrigin = new List<TokenOffset>(text.Length);
        int i = 0;
        while (at >= 0)
        {
            for (int k = i; k < at; k++) newOrigin.Add(_origin[k]);
            newText.Append(text, i, at - i);
            var replaced = new TokenOffset(_origin[at].Start, _origin[at + pattern.Length - 1].End);
            for (int k = 0; k < content.Length; k++) newOrigin.Add(replaced);
            newText.Append(content);
            i = at + pattern.Length;
            at = text.IndexOf(pattern, i, StringComparison.Ordinal);
        }
        for (int k = i; k < text.Length; k++) newOrigin.Add(_origin[k]);
        newText.Append(text, i, text.Length - i);
        _text.Clear().Append(newText);
        _origin.Clear();
        _origin.AddRange(newOrigin);
    }
}
