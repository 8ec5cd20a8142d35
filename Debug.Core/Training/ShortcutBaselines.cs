namespace Debug.Core.Training;

/// <summary>
/// Heuristics a model could use instead of dereferencing. The embedded model must beat every one of them at every
/// number of hops; reporting them next to its accuracy shows what a plateau is made of.
/// </summary>
public static class ShortcutBaselines
{
    /// <summary>Baseline names, in report order.</summary>
    public static readonly IReadOnlyList<string> Names = ["last_digit", "most_frequent_digit", "first_constant", "uniform_distinct_digits"];

    /// <summary>
    /// Expected accuracy (0 or 1 for the deterministic ones, 1/k for guessing uniformly among the k distinct digits)
    /// of <paramref name="baseline"/> on a program whose answer is <paramref name="answer"/>.
    /// </summary>
    public static double Score(string baseline, string program, int answer)
    {
        var digits = program.Where(char.IsAsciiDigit).Select(c => c - '0').ToList();
        if (digits.Count == 0) return 0;
        return baseline switch
        {
            "last_digit" => digits[^1] == answer ? 1 : 0,
            // Ties go to the digit that appears first: a fixed rule, so the baseline is reproducible.
            "most_frequent_digit" => digits.GroupBy(d => d).OrderByDescending(g => g.Count()).ThenBy(g => digits.IndexOf(g.Key)).First().Key == answer ? 1 : 0,
            "first_constant" => digits[0] == answer ? 1 : 0,
            "uniform_distinct_digits" => digits.Contains(answer) ? 1.0 / digits.Distinct().Count() : 0,
            _ => throw new ArgumentException($"unknown baseline '{baseline}' (known: {string.Join(", ", Names)})", nameof(baseline)),
        };
    }
}
