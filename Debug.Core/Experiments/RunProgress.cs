using System.Globalization;
using Debug.Core.Reports;

namespace Debug.Core.Experiments;

/// <summary>Where a run stands, reported after every batch.</summary>
/// <param name="Experiment">Experiment name.</param>
/// <param name="Model">Model display name.</param>
/// <param name="SeqLen">Current program length.</param>
/// <param name="Hops">Current exact hops, or null.</param>
/// <param name="Group">1-based index of the current (model, length, hops) group.</param>
/// <param name="Groups">Number of groups in the run.</param>
/// <param name="CasesDone">Cases finished in the current group.</param>
/// <param name="CasesInGroup">Cases in the current group.</param>
/// <param name="CorrectSoFar">Correct cases so far in the current group.</param>
/// <param name="CasesPerSecond">Throughput of the current group so far.</param>
public sealed record RunProgress(string Experiment, string Model, int SeqLen, int? Hops, int Group, int Groups,
    int CasesDone, int CasesInGroup, int CorrectSoFar, double CasesPerSecond)
{
    /// <summary>One line for logs, e.g. <c>[variable_binding] tiny seqLen=5 hops=2: 16/20 cases, 87.5% correct, 41.2 cases/s (group 3/8)</c>.</summary>
    public override string ToString()
    {
        string hops = Hops is int h ? $" hops={h}" : "";
        double acc = CasesDone == 0 ? 0 : (double)CorrectSoFar / CasesDone;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{Experiment}] {Model} seqLen={SeqLen}{hops}: {CasesDone}/{CasesInGroup} cases, {Percent.Format(acc)} correct, {CasesPerSecond:F1} cases/s (group {Group}/{Groups})");
    }
}
