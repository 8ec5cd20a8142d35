using System.Globalization;
using System.Text.Json.Serialization;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Gates;

namespace Debug.Core.Reports;

/// <summary>
/// One judged case group of a run, as a row of the run's <c>summary.json</c> and of its <c>index.html</c>.
/// </summary>
/// <param name="Model">Model display name.</param>
/// <param name="Experiment">Experiment name (thresholds.json key).</param>
/// <param name="Group">The group, e.g. <c>seqLen=10 hops=2</c>.</param>
/// <param name="SeqLen">Program length of the group.</param>
/// <param name="Hops">Exact hops of the group, or null.</param>
/// <param name="N">Cases.</param>
/// <param name="Correct">Correct cases.</param>
/// <param name="Accuracy">Correct / N.</param>
/// <param name="WilsonLow">Lower bound of the 95% Wilson interval (what the gate compares).</param>
/// <param name="WilsonHigh">Upper bound of the 95% Wilson interval.</param>
/// <param name="Threshold">The threshold that applied, or null when none did.</param>
/// <param name="Status"><c>passed</c>, <c>failed</c> or <c>not_gated</c>.</param>
/// <param name="Folder">The experiment's subfolder inside the run folder (relative), or null.</param>
public sealed record GateRow(string Model, string Experiment, string Group, int SeqLen, int? Hops, int N, int Correct,
    double Accuracy, double WilsonLow, double WilsonHigh, double? Threshold, string Status, string? Folder)
{
    /// <summary>Status of a group whose lower bound reached its threshold.</summary>
    public const string Passed = "passed";

    /// <summary>Status of a group below its threshold, or one that could not run.</summary>
    public const string Failed = "failed";

    /// <summary>Status of a group with no threshold.</summary>
    public const string NotGated = "not_gated";

    /// <summary>The row of a group judged by <see cref="AccuracyGate"/>.</summary>
    public static GateRow From(string model, string experiment, int seqLen, int? hops, IReadOnlyList<CaseResult> cases,
        GateOutcome outcome, string? folder)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(outcome);
        var stat = AccuracyStat.Of(cases.Select(c => c.Correct));
        return new GateRow(model, experiment, GroupName(seqLen, hops), seqLen, hops, stat.N, stat.Correct, stat.Accuracy,
            stat.CiLow, stat.CiHigh, outcome.Threshold, StatusName(outcome.Status), folder);
    }

    /// <summary><c>seqLen=5</c> or <c>seqLen=10 hops=2</c>.</summary>
    public static string GroupName(int seqLen, int? hops) =>
        string.Create(CultureInfo.InvariantCulture, $"seqLen={seqLen}{(hops is int h ? $" hops={h}" : "")}");

    /// <summary>The JSON name of a verdict.</summary>
    public static string StatusName(GateStatus status) => status switch
    {
        GateStatus.Passed => Passed,
        GateStatus.Failed => Failed,
        _ => NotGated,
    };

    /// <summary>True when the row failed its gate.</summary>
    [JsonIgnore]
    public bool IsFailure => Status == Failed;
}
