using System.Globalization;
using System.Text;
using Debug.Core.Reports;

namespace Debug.Core.Experiments.Gates;

/// <summary>
/// Judges a case group against a <see cref="ThresholdTable"/>. A group passes when the LOWER bound of its 95%
/// Wilson interval is at or above the threshold, so a small lucky sample cannot pass a high bar and the verdict
/// says "accuracy is credibly at least the threshold". Groups with no threshold are reported as not gated, except
/// that models in <see cref="RequiredModels"/> must have every experiment listed.
/// </summary>
public sealed class AccuracyGate
{
    /// <summary>How many failing cases a failure message shows.</summary>
    public const int ExamplesShown = 3;

    /// <summary>Creates a gate over <paramref name="table"/>.</summary>
    /// <param name="table">The thresholds.</param>
    /// <param name="requiredModels">Models whose experiments must all be listed (default: the embedded models).</param>
    public AccuracyGate(ThresholdTable table, IEnumerable<string>? requiredModels = null)
    {
        Table = table ?? throw new ArgumentNullException(nameof(table));
        RequiredModels = (requiredModels ?? ModelReference.EmbeddedNames).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The thresholds.</summary>
    public ThresholdTable Table { get; }

    /// <summary>Models for which an unlisted experiment fails instead of going ungated.</summary>
    public IReadOnlySet<string> RequiredModels { get; }

    /// <summary>Judges the cases of one group (all of the same model, experiment, length and hops).</summary>
    public GateOutcome Evaluate(string model, string experiment, int seqLen, int? hops, IReadOnlyList<CaseResult> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var stat = AccuracyStat.Of(cases.Select(c => c.Correct));
        string group = string.Create(CultureInfo.InvariantCulture,
            $"{model} / {experiment} seqLen={seqLen}{(hops is int h ? $" hops={h}" : "")}");
        string measured = string.Create(CultureInfo.InvariantCulture,
            $"n={stat.N}, accuracy {Percent.Format(stat.Accuracy)} ({stat.Correct}/{stat.N}), 95% Wilson CI [{Percent.Format(stat.CiLow)}, {Percent.Format(stat.CiHigh)}]");
        var (state, threshold) = Table.Lookup(model, experiment, seqLen, hops);
        switch (state)
        {
            case ThresholdState.Missing when RequiredModels.Contains(model):
                return new GateOutcome(GateStatus.Failed,
                    $"FAILED {group}: {measured}; no threshold for '{experiment}' under '{model}' in {Table.Source}. " +
                    $"Every experiment of {model} must be listed (a number, or null while it is being measured).", null);
            case ThresholdState.Uncovered when RequiredModels.Contains(model):
                return new GateOutcome(GateStatus.Failed,
                    $"FAILED {group}: {measured}; the '{experiment}' entry of '{model}' in {Table.Source} has no threshold " +
                    "for this group (add a default or an entry for this length or hops).", null);
            case ThresholdState.Uncovered:
                return new GateOutcome(GateStatus.NotGated,
                    $"NOT GATED {group}: {measured}; the entry in {Table.Source} has no threshold for this group.", null);
            case ThresholdState.Missing:
                return new GateOutcome(GateStatus.NotGated,
                    $"NOT GATED {group}: {measured}; {Table.Source} lists no threshold for this model and experiment.", null);
            case ThresholdState.Pending:
                return new GateOutcome(GateStatus.NotGated,
                    $"NOT GATED {group}: {measured}; threshold pending (null) in {Table.Source}.", null);
        }
        double t = threshold!.Value;
        if (stat.N == 0)
            return new GateOutcome(GateStatus.Failed, $"FAILED {group}: no cases to judge against threshold {Percent.Format(t)}.", t);
        if (stat.CiLow >= t)
            return new GateOutcome(GateStatus.Passed, string.Create(CultureInfo.InvariantCulture,
                $"PASSED {group}: {measured}; lower bound {Percent.Format(stat.CiLow)} >= threshold {Percent.Format(t)}."), t);
        var message = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"FAILED {group}: {measured}; lower bound {Percent.Format(stat.CiLow)} < threshold {Percent.Format(t)}."));
        var failures = cases.Where(c => !c.Correct).Take(ExamplesShown).ToList();
        if (failures.Count > 0) message.Append(CultureInfo.InvariantCulture, $"\nFirst {failures.Count} failing case(s):\n");
        foreach (var c in failures) message.Append(ErrorAnalysis.Describe(c));
        return new GateOutcome(GateStatus.Failed, message.ToString(), t);
    }
}
