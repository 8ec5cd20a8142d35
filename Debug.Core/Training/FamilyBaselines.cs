using System.Globalization;
using System.Text.RegularExpressions;
using Debug.Core.Tasks;
using Debug.Core.Tasks.PythonCompat;

namespace Debug.Core.Training;

/// <summary>
/// Shortcut baselines for the tracker families: answers a model could give without executing the program. The trained
/// model must beat each one that applies to a (family, length). A baseline that does not apply (no <c>range(...)</c>
/// in the program, a numeric rule on a boolean family) is absent rather than zero.
/// </summary>
public static partial class FamilyBaselines
{
    /// <summary>The most frequent answer of the (family, length) among training programs (for booleans: the majority class).</summary>
    public const string MostFrequentTrainingAnswer = "most_frequent_training_answer";
    /// <summary>The last integer literal in the program.</summary>
    public const string LastNumber = "last_number";
    /// <summary>The loop's <c>range(N)</c> argument.</summary>
    public const string RangeArgument = "range_argument";
    /// <summary>The sum of every integer literal in the program.</summary>
    public const string LiteralSum = "literal_sum";

    /// <summary>Baseline names, in report order.</summary>
    public static readonly IReadOnlyList<string> Names = [MostFrequentTrainingAnswer, LastNumber, RangeArgument, LiteralSum];

    /// <summary>Training programs sampled per (family, length) for <see cref="MostFrequentTrainingAnswer"/>.</summary>
    public const int TrainingSample = 500;

    [GeneratedRegex(@"-?\d+")]
    private static partial Regex Integer();

    [GeneratedRegex(@"range\((\d+)\)")]
    private static partial Regex Range();

    /// <summary>
    /// <see cref="TrainingSample"/> programs of the (family, length) drawn from the training seed range, always the same
    /// ones: what "the training data" of that group looks like.
    /// </summary>
    public static IReadOnlyList<TaskCase> TrainingPrograms(TrainingFamily family, int length)
    {
        ArgumentNullException.ThrowIfNull(family);
        var rng = new DeterministicRng(0xBA5E_0000UL ^ (ulong)length ^ ((ulong)StableHash(family.Name) << 8));
        return [.. Enumerable.Range(0, TrainingSample).Select(_ =>
        {
            long seed = FamilyTrainingData.TrainSeedBase + (long)(rng.NextUInt64() % (uint.MaxValue - (ulong)FamilyTrainingData.TrainSeedBase));
            return family.Generator.Generate(length, new NumpyRandomState(seed));
        })];
    }

    /// <summary>The most frequent answer of <paramref name="programs"/> (ties to the ordinally smallest, so it is reproducible).</summary>
    public static string MostFrequentAnswer(IReadOnlyList<TaskCase> programs) =>
        programs.GroupBy(p => p.Expected).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

    /// <summary>What <paramref name="baseline"/> answers for <paramref name="task"/>, or null when it does not apply.</summary>
    public static string? Predict(string baseline, TaskCase task, string mostFrequentTrainingAnswer, bool booleanFamily)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (baseline == MostFrequentTrainingAnswer) return mostFrequentTrainingAnswer;
        if (booleanFamily) return null;
        var literals = Integer().Matches(task.Program).Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        return baseline switch
        {
            LastNumber => literals.Count > 0 ? literals[^1].ToString(CultureInfo.InvariantCulture) : null,
            RangeArgument => Range().Match(task.Program) is { Success: true } m ? m.Groups[1].Value : null,
            LiteralSum => literals.Sum().ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"unknown baseline '{baseline}' (known: {string.Join(", ", Names)})", nameof(baseline)),
        };
    }

    /// <summary>FNV-1a over the name: string.GetHashCode is randomised per process.</summary>
    private static uint StableHash(string s)
    {
        uint h = 2166136261;
        foreach (char c in s) h = (h ^ c) * 16777619;
        return h;
    }
}
