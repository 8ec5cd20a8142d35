using System.Text;
using System.Text.Encodings.Web;

namespace Debug.Core.Serialization;

/// <summary>
/// A JSON string encoder that escapes only what JSON needs escaped (quote, backslash, control characters) plus the
/// invisible line and paragraph separators, and writes every other character as itself, so result files read well
/// with <c>cat</c> and in diffs (<c>x += 6</c>, <c>```python</c>, <c>é</c>, emoji).
/// </summary>
/// <remarks>
/// <see cref="JavaScriptEncoder.Default"/> escapes HTML-sensitive characters such as <c>+</c>, <c>`</c> and
/// <c>&lt;</c>, and even <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> escapes every character outside
/// the Basic Multilingual Plane (emoji, for example) as a surrogate pair. Debug's JSON is data, never embedded in
/// HTML or script, so neither kind of escaping buys anything. Lone surrogates cannot reach this encoder: the writer
/// replaces invalid UTF-16 with U+FFFD first.
/// </remarks>
public sealed class ReadableJsonEncoder : JavaScriptEncoder
{
    /// <summary>The one instance (the encoder has no state).</summary>
    public static ReadableJsonEncoder Instance { get; } = new();

    private ReadableJsonEncoder() { }

    /// <inheritdoc />
    public override int MaxOutputCharactersPerInputCharacter => 6;   // \uXXXX

    /// <inheritdoc />
    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\'
        || (unicodeScalar >= 0x7F && unicodeScalar <= 0x9F)             // DEL and the C1 controls
        || unicodeScalar == 0x2028 || unicodeScalar == 0x2029;          // line/paragraph separators break JS readers

    /// <inheritdoc />
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (int i = 0; i < textLength; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            // A lone surrogate is returned so the caller's encoding path can replace it.
            if (char.IsSurrogate(c) || WillEncode(c)) return i;
        }
        return -1;
    }

    /// <inheritdoc />
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        numberOfCharactersWritten = 0;
        if (!WillEncode(unicodeScalar))
        {
            // Not ours to escape: write the scalar itself (one or two UTF-16 units).
            if (!new Rune(unicodeScalar).TryEncodeToUtf16(new Span<char>(buffer, bufferLength), out numberOfCharactersWritten))
                return false;
            return true;
        }
        string escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => "\\u" + unicodeScalar.ToString("X4", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (escape.Length > bufferLength) return false;
        for (int i = 0; i < escape.Length; i++) buffer[i] = escape[i];
        numberOfCharactersWritten = escape.Length;
        return true;
    }
}
