using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Debug.Core.Prompts;

/// <summary>
/// The Python framework's answer parsers (<c>parse_integer</c> and <c>parse_boolean</c> of <c>src/debug/core.py</c>),
/// quirks included, for reading or rescoring its runs the way it scored them. Debug's stricter
/// <see cref="AnswerParsers"/> stay the default; the Prompts README lists the inputs on which the two disagree.
/// </summary>
/// <remarks>
/// <para>
/// <c>parse_integer</c>: delete every comma; take the first match of <c>is:\s*(-?\d+)</c>, else of
/// <c>answer:…</c>, else <c>result:…</c>, else <c>=\s*(-?\d+)</c> (which also matches inside <c>==</c>), all
/// case-insensitive; else the first <c>-?\d+</c>. Integers are unbounded, as Python's are.
/// <c>parse_boolean</c>: the lower-cased text contains <c>true</c> → True, else <c>false</c> → False, else
/// <c>parse_integer</c> 0 → False, 1 → True.
/// </para>
/// <para>
/// Python's <c>\d</c>, <c>\s</c> and case folding are Unicode-aware, and so are these patterns: <c>\d</c> is a
/// decimal digit of the Basic Multilingual Plane (digits outside it, written as surrogate pairs, are not matched),
/// <c>\s</c> adds the separators U+001C..U+001F that Python counts as whitespace, and the marker letters match the
/// characters Python's IGNORECASE folds onto them (İ and ı for i, ſ for s).
/// </para>
/// </remarks>
public static partial class PythonAnswerParsers
{
    private const string Space = @"[\s\x1C-\x1F]*";
    private const string Integer = @"(-?\d+)";

    [GeneratedRegex("[iIİı][sSſ]:" + Space + Integer, RegexOptions.CultureInvariant)]
    private static partial Regex IsMarker();

    [GeneratedRegex("[aA][nN][sSſ][wW][eE][rR]:" + Space + Integer, RegexOptions.CultureInvariant)]
    private static partial Regex AnswerMarker();

    [GeneratedRegex("[rR][eE][sSſ][uU][lL][tT]:" + Space + Integer, RegexOptions.CultureInvariant)]
    private static partial Regex ResultMarker();

    [GeneratedRegex("=" + Space + Integer, RegexOptions.CultureInvariant)]
    private static partial Regex EqualsMarker();

    [GeneratedRegex(@"-?\d+", RegexOptions.CultureInvariant)]
    private static partial Regex AnyInteger();

    /// <summary>The framework's <c>parse_integer(text)</c>; null where it returns None.</summary>
    /// <param name="text">The model's output.</param>
    public static BigInteger? ParseInteger(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string cleaned = text.Replace(",", "", StringComparison.Ordinal);
        foreach (var marker in (ReadOnlySpan<Regex>)[IsMarker(), AnswerMarker(), ResultMarker(), EqualsMarker()])
        {
            var match = marker.Match(cleaned);
            if (match.Success)
            {
                return PythonInt(match.Groups[1].Value);
            }
        }
        var any = AnyInteger().Match(cleaned);
        return any.Success ? PythonInt(any.Value) : null;
    }

    /// <summary>The framework's <c>parse_boolean(text)</c>; null where it returns None.</summary>
    /// <param name="text">The model's output.</param>
    public static bool? ParseBoolean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string lower = text.ToLowerInvariant();
        if (lower.Contains("true", StringComparison.Ordinal))
        {
            return true;
        }
        if (lower.Contains("false", StringComparison.Ordinal))
        {
            return false;
        }
        var integer = ParseInteger(text);
        return integer == 0 ? false : integer == 1 ? true : null;
    }

    /// <summary>Python's <c>int()</c> of a matched <c>-?\d+</c>: any decimal digits, unbounded.</summary>
    private static BigInteger PythonInt(string digits)
    {
        bool negative = digits.StartsWith('-');
        BigInteger value = BigInteger.Zero;
        foreach (char c in negative ? digits[1..] : digits)
        {
            value = value * 10 + CharUnicodeInfo.GetDecimalDigitValue(c);
        }
        return negative ? -value : value;
    }
}
