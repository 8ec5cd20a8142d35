using System.Globalization;
using System.Text.RegularExpressions;

namespace Debug.Core.Prompts;

/// <summary>Extracts answers from model output text.</summary>
public static partial class AnswerParsers
{
    // An integer, optionally negative (ASCII '-' or Unicode minus), optionally with thousands commas ("1,234").
    private const string Number = @"(?<num>[-\u2212]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+))";

    // "Answer: 5", "The answer is 5", "**Answer:** 5", "result = 5".
    [GeneratedRegex(@"\b(?:answer|result)\b[ \t]*(?:is\b)?[ \t]*[:=]?[ \t*]*" + Number, RegexOptions.IgnoreCase)]
    private static partial Regex KeywordMarker();

    // "x is: 5", "x is 5".
    [GeneratedRegex(@"\bis\b[ \t]*:?[ \t*]*" + Number, RegexOptions.IgnoreCase)]
    private static partial Regex IsMarker();

    // "= 5" but not "== 5" and not "= 3 + 2" (an unfinished expression is not a value).
    [GeneratedRegex(@"(?<![=!<>])=(?!=)[ \t]*" + Number + @"(?![ \t]*[-+*/%\d])")]
    private static partial Regex EqualsMarker();

    [GeneratedRegex(Number)]
    private static partial Regex AnyInteger();

    [GeneratedRegex(@"\b(?<word>true|false)\b", RegexOptions.IgnoreCase)]
    private static partial Regex BooleanWord();

    [GeneratedRegex(@"(?<![\w.])(?<bit>[01])(?![\w.])")]
    private static partial Regex BooleanDigit();

    /// <summary>
    /// Parses an integer answer. In order of preference: the first "answer:"/"result:" marker, the first
    /// "is: N", the LAST "= N" (a worked calculation ends with its result), else the first integer anywhere.
    /// Thousands commas are removed ("1,234" is 1234) and a leading minus is honoured.
    /// </summary>
    /// <param name="output">The model's output.</param>
    public static ParsedAnswer<long> ParseInteger(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Match m = KeywordMarker().Match(output);
        if (!m.Success)
        {
            m = IsMarker().Match(output);
        }
        if (!m.Success)
        {
            m = EqualsMarker().Matches(output).LastOrDefault() ?? Match.Empty;
        }
        if (!m.Success)
        {
            m = AnyInteger().Match(output);
        }
        return m.Success ? ToInteger(m) : ParsedAnswer<long>.NotParsed;
    }

    /// <summary>
    /// Parses a boolean answer: the first standalone "true"/"false" (any case), else the first standalone 0 or 1.
    /// </summary>
    /// <param name="output">The model's output.</param>
    public static ParsedAnswer<bool> ParseBoolean(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Match word = BooleanWord().Match(output);
        if (word.Success)
        {
            string w = word.Groups["word"].Value;
            return new ParsedAnswer<bool>(true, w.Equals("true", StringComparison.OrdinalIgnoreCase), w);
        }
        Match bit = BooleanDigit().Match(output);
        return bit.Success
            ? new ParsedAnswer<bool>(true, bit.Groups["bit"].Value == "1", bit.Groups["bit"].Value)
            : ParsedAnswer<bool>.NotParsed;
    }

    /// <summary>Parses a variable-binding completion: the first integer (normally a single digit) in it.</summary>
    /// <param name="completion">Text the model generated after the prompt.</param>
    public static ParsedAnswer<long> ParseVariableBinding(string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        Match m = AnyInteger().Match(completion);
        return m.Success ? ToInteger(m) : ParsedAnswer<long>.NotParsed;
    }

    /// <summary>
    /// Parses a variable-binding answer from output that may echo the prompt (as many generation APIs return
    /// prompt + completion): the prompt prefix is skipped so digits inside the program are not mistaken for the answer.
    /// </summary>
    /// <param name="output">The model's output, with or without the prompt in front.</param>
    /// <param name="prompt">The prompt that was sent.</param>
    public static ParsedAnswer<long> ParseVariableBinding(string output, string prompt)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(prompt);
        string completion = output.StartsWith(prompt, StringComparison.Ordinal) ? output[prompt.Length..] : output;
        return ParseVariableBinding(completion);
    }

    private static ParsedAnswer<long> ToInteger(Match m)
    {
        string raw = m.Groups["num"].Value;
        string digits = raw.Replace(",", "", StringComparison.Ordinal).Replace('\u2212', '-');
        return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? new ParsedAnswer<long>(true, value, raw)
            : ParsedAnswer<long>.NotParsed; // more digits than a 64-bit integer holds
    }
}
