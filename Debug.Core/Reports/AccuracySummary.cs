using System.Globalization;
using Debug.Core.Experiments;

namespace Debug.Core.Reports;

/// <summary>One (model, length, hops) group's accuracy, as listed in summary.json.</summary>
/// <param name="Model">Model display name.</param>
/// <param name="SeqLen">Program length.</param>
/// <param name="Hops">Referential depth, or null when the group mixes depths.</param>
/// <param name="Stat">Accuracy and interval.</param>
public sealed record GroupStat(string Model, int SeqLen, int? Hops, AccuracyStat Stat);

/// <summary>The content of summary.json: accuracy overall and broken down, each with n and a 95% Wilson interval.</summary>
public sealed record AccuracySummary
{
    /// <summary>Experiment name.</summary>
    public required string Experiment { get; init; }

    /// <summary>All cases together.</summary>
    public required AccuracyStat Overall { get; init; }

    /// <summary>Per model (display name).</summary>
    public required IReadOnlyDictionary<string, AccuracyStat> ByModel { get; init; }

    /// <summary>Per program length, all models together.</summary>
    public required IReadOnlyDictionary<string, AccuracyStat> ByLength { get; init; }

    /// <summary>Per referential depth (cases without one are left out), all models together.</summary>
    public required IReadOnlyDictionary<string, AccuracyStat> ByHops { get; init; }

    /// <summary>Per (model, length, hops) case group, the unit the gates judge.</summary>
    public required IReadOnlyList<GroupStat> Groups { get; init; }

    /// <summary>Failing cases per model by <see cref="ErrorKind"/> (see <see cref="ErrorAnalysis"/>).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<ErrorKind, int>> ErrorKinds { get; init; }

    /// <summary>Models that could not run, with the reason.</summary>
    public IReadOnlyDictionary<string, string> ModelErrors { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Builds the summary. Groups follow the runner's grouping: with configured exact hops a group is one
    /// (length, hops) pair; otherwise one length (hops then vary within it and are only counted in ByHops).
    /// </summary>
    public static AccuracySummary Compute(string experiment, IReadOnlyList<CaseResult> cases, bool exactHops,
        IReadOnlyDictionary<string, string>? modelErrors = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        return new AccuracySummary
        {
            Experiment = experiment,
            Overall = AccuracyStat.Of(cases.Select(c => c.Correct)),
            ByModel = Breakdown(cases, c => c.Model, k => k, StringComparer.Ordinal),
            ByLength = Breakdown(cases, c => c.SeqLen, k => k.ToString(CultureInfo.InvariantCulture), Comparer<int>.Default),
            ByHops = Breakdown(cases.Where(c => c.Hops is not null), c => c.Hops!.Value,
                k => k.ToString(CultureInfo.InvariantCulture), Comparer<int>.Default),
            Groups = [.. cases
                .GroupBy(c => (c.Model, c.SeqLen, Hops: exactHops ? c.Hops : null))
                .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.SeqLen).ThenBy(g => g.Key.Hops)
                .Select(g => new GroupStat(g.Key.Model, g.Key.SeqLen, g.Key.Hops, AccuracyStat.Of(g.Select(c => c.Correct))))],
            ErrorKinds = cases.GroupBy(c => c.Model).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => ErrorAnalysis.CountKinds(g)),
            ModelErrors = modelErrors ?? new Dictionary<string, string>(),
        };
    }

    // Ordered keys (numeric order for lengths) keep summary.json diff-friendly; Dictionary keeps insertion order
    // when nothing is removed, and System.Text.Json writes entries in that order.
    private static Dictionary<string, AccuracyStat> Breakdown<TKey>(IEnumerable<CaseResult> cases,
        Func<CaseResult, TKey> key, Func<TKey, string> label, IComparer<TKey> order) where TKey : notnull =>
        cases.GroupBy(key).OrderBy(g => g.Key, order)
            .ToDictionary(g => label(g.Key), g => AccuracyStat.Of(g.Select(c => c.Correct)));
}
