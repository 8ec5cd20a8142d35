using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Debug.Core.Experiments;

namespace Debug.Core.Reports;

/// <summary>Why a case failed.</summary>
public enum ErrorKind
{
    /// <summary>No answer could be parsed from the output.</summary>
    Unparseable,

    /// <summary>An integer answer one away from the expected value (a missed or extra step).</summary>
    OffByOne,

    /// <summary>
    /// Variable binding: the predicted digit is the value of another variable in the program (the model followed
    /// the wrong chain rather than inventing a number).
    /// </summary>
    WrongVariable,

    /// <summary>Any other wrong answer.</summary>
    Other,
}

/// <summary>Which failing cases to list; every filter is optional.</summary>
/// <param name="Model">Model display name.</param>
/// <param name="MinSeqLen">Smallest length, inclusive.</param>
/// <param name="MaxSeqLen">Largest length, inclusive.</param>
/// <param name="Hops">Referential depth.</param>
public sealed record ErrorFilter(string? Model = null, int? MinSeqLen = null, int? MaxSeqLen = null, int? Hops = null)
{
    /// <summary>Whether <paramref name="c"/> passes every filter that is set.</summary>
    public bool Matches(CaseResult c) =>
        (Model is null || c.Model == Model) && (MinSeqLen is null || c.SeqLen >= MinSeqLen) &&
        (MaxSeqLen is null || c.SeqLen <= MaxSeqLen) && (Hops is null || c.Hops == Hops);
}

/// <summary>Lists and classifies failing cases.</summary>
public static partial class ErrorAnalysis
{
    // A binding line whose right side is a literal: "x = 7".
    [GeneratedRegex(@"^\s*[A-Za-z_]\w*\s*=\s*(?<v>-?\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex LiteralAssignment();

    /// <summary>The failing cases that match <paramref name="filter"/>, in result order.</summary>
    public static IReadOnlyList<CaseResult> Failures(IEnumerable<CaseResult> cases, ErrorFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        filter ??= new ErrorFilter();
        return [.. cases.Where(c => !c.Correct && filter.Matches(c))];
    }

    /// <summary>Classifies one failing case (correct cases are an error to ask about).</summary>
    /// <exception cref="ArgumentException"><paramref name="c"/> is correct.</exception>
    public static ErrorKind Classify(CaseResult c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Correct) throw new ArgumentException("The case is correct.", nameof(c));
        if (c.Predicted is null) return ErrorKind.Unparseable;
        bool numeric = long.TryParse(c.Predicted, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long predicted);
        bool expectedNumeric = long.TryParse(c.Expected, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long expected);
        if (numeric && expectedNumeric && Math.Abs(predicted - expected) == 1) return ErrorKind.OffByOne;
        // In a binding program every variable's value is one of its literals, so "another variable's value" is
        // "a literal of the program other than the answer".
        if (c.Experiment.Contains("binding", StringComparison.Ordinal) && numeric && LiteralAssignment()
                .Matches(c.Program).Any(m => m.Groups["v"].Value == c.Predicted && m.Groups["v"].Value != c.Expected))
            return ErrorKind.WrongVariable;
        return ErrorKind.Other;
    }

    /// <summary>Counts failures by kind (every kind present, zero included).</summary>
    public static IReadOnlyDictionary<ErrorKind, int> CountKinds(IEnumerable<CaseResult> cases, ErrorFilter? filter = null)
    {
        var counts = Enum.GetValues<ErrorKind>().ToDictionary(k => k, _ => 0);
        foreach (var c in Failures(cases, filter)) counts[Classify(c)]++;
        return counts;
    }

    /// <summary>A readable block per failing case: where it came from, the program, expected and raw output.</summary>
    public static string Describe(CaseResult c)
    {
        ArgumentNullException.ThrowIfNull(c);
        string hops = c.Hops is int h ? $", hops {h}" : "";
        string kind = c.Correct ? "correct" : Classify(c).ToString();
        return string.Create(CultureInfo.InvariantCulture,
            $"--- {c.Experiment} / {c.Model}, seqLen {c.SeqLen}{hops}, case {c.SeedId} ({kind})\n{c.Program.TrimEnd('\n')}\n" +
            $"expected: {c.Expected}\npredicted: {c.Predicted ?? "(none)"}\nraw output: {Escape(c.RawOutput)}\n");
    }

    /// <summary>The error-kind counts, then up to <paramref name="limit"/> failing cases.</summary>
    public static string Report(IEnumerable<CaseResult> cases, ErrorFilter? filter = null, int limit = 10)
    {
        var failures = Failures(cases, filter);
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{failures.Count} failing case(s)"));
        text.Append(": ").AppendJoin(", ", CountKinds(failures).Where(k => k.Value > 0).Select(k => $"{k.Key} {k.Value}")).Append('\n');
        foreach (var c in failures.Take(limit)) text.Append(Describe(c));
        if (failures.Count > limit) text.Append(CultureInfo.InvariantCulture, $"... and {failures.Count - limit} more\n");
        return text.ToString();
    }

    // Newlines and control characters shown escaped, so a raw output stays on one line in a test message.
    private static string Escape(string s)
    {
        var b = new StringBuilder("\"");
        foreach (char ch in s)
            b.Append(ch switch
            {
                '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '"' => "\\\"", '\\' => "\\\\",
                _ when char.IsControl(ch) => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        return b.Append('"').ToString();
    }
}
