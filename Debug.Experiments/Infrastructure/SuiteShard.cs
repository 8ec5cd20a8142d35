using System.Globalization;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Sharding;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Xunit;

namespace Debug.Experiments.Infrastructure;

/// <summary>
/// This test run's part of the suite's rows (<see cref="ShardSpec.Current"/>: <c>DEBUG_SHARD=k/n</c>, a Slurm array
/// task or a Kubernetes Indexed Job pod). Every shard process lists the same rows (<see cref="Catalog"/>, from the
/// selection alone, never from what is on the machine's disk) and computes the same <see cref="ShardPlan"/>, so the
/// shards together run every row exactly once. A row of another shard is reported as skipped with the shard that runs
/// it; an accuracy experiment runs only its groups of this shard.
/// </summary>
public sealed class SuiteShard
{
    /// <summary>Tracing theories by the kind name in their row keys (the results folder's kind).</summary>
    public static IReadOnlyList<string> TracingKinds { get; } = ["resid", "mlp", "heads", "knockout"];

    // Expected patched runs per tracing row, beyond the prompt length: heads patch every head at one position,
    // knockouts run a handful of conditions, the seed table tries a few seeds per group on both prompts.
    private const int HeadPasses = 16, KnockoutPasses = 8;

    /// <summary>Plans the shard of this process for <paramref name="selection"/>.</summary>
    public SuiteShard(ShardSpec spec, ExperimentSelection selection, int tracingRanks)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Plan = ShardPlan.Assign(Catalog(selection, tracingRanks), spec.Count);
    }

    /// <summary>This process's shard.</summary>
    public ShardSpec Spec { get; }

    /// <summary>The assignment of every row.</summary>
    public ShardPlan Plan { get; }

    /// <summary>Rows this shard runs.</summary>
    public int RowCount => Plan.RowsOf(Spec.Index).Count;

    /// <summary>Whether this shard runs the row (rows the plan does not know run in shard 0, so none is lost).</summary>
    public bool IsMine(string rowKey) =>
        !Spec.IsSharded || (Plan.Rows.TryGetValue(rowKey, out int shard) ? shard : 0) == Spec.Index;

    /// <summary>Null when this shard runs the row; otherwise why it is skipped here.</summary>
    public string? SkipReason(string rowKey) => IsMine(rowKey) ? null : string.Create(CultureInfo.InvariantCulture,
        $"Not in this shard: {Spec.Source} = {Spec} runs {RowCount} of {Plan.Rows.Count} rows; this row runs in shard {Plan.ShardOf(rowKey)}/{Spec.Count}.");

    /// <summary>Skips the calling row when another shard runs it (reported as skipped with the reason, never as passed).</summary>
    public void SkipUnlessMine(string rowKey)
    {
        if (SkipReason(rowKey) is string reason) Assert.Skip(reason);
    }

    /// <summary>One line for the test log: the shard and its share of the rows and of the expected cost.</summary>
    public string Describe() => !Spec.IsSharded ? "one shard (all rows)" : string.Create(CultureInfo.InvariantCulture,
        $"shard {Spec} from {Spec.Source}: {RowCount} of {Plan.Rows.Count} rows, {Plan.Loads[Spec.Index] / Math.Max(Plan.Loads.Sum(), 1e-300):P0} of the expected cost");

    /// <summary>Key of an accuracy row: <c>accuracy/&lt;experiment&gt;/&lt;model&gt;/len&lt;n&gt;[/hops&lt;h&gt;]</c>.</summary>
    public static string AccuracyKey(string experiment, string model, int seqLen, int? hops) =>
        GroupShards.Key(experiment, new GroupKey(model, seqLen, hops));

    /// <summary>Key of a tracing row: <c>tracing/&lt;kind&gt;/&lt;model&gt;/h&lt;hops&gt;/l&lt;lines&gt;/r&lt;rank&gt;</c>.</summary>
    public static string TracingKey(string kind, string model, int hops, int lines, int seedRank) =>
        string.Create(CultureInfo.InvariantCulture, $"tracing/{kind}/{model}/h{hops}/l{lines}/r{seedRank}");

    /// <summary>Key of a model's robust-seed table row.</summary>
    public static string SeedsKey(string model) => $"tracing/seeds/{model}";

    /// <summary>
    /// Every experiment row of the suite for <paramref name="selection"/>, with its expected cost (cases × prompt
    /// characters × model size as its name states it). Prompt lengths come from each group's first generated program,
    /// which is the same on every machine.
    /// </summary>
    public static IReadOnlyList<ShardRow> Catalog(ExperimentSelection selection, int tracingRanks)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var rows = new List<ShardRow>();
        rows.AddRange(GroupShards.Rows(ExperimentDefinitions.All.Select(d => d.ToConfig(selection))));
        foreach (string model in selection.DisplayNames)
        {
            foreach (int hops in TracingRows.Hops)
                foreach (int lines in TracingRows.Lines)
                {
                    int chars = VariableBindingGenerator.GenerateExactHops(lines, hops, new DeterministicRng(0)).Program.Length;
                    for (int rank = 0; rank < tracingRanks; rank++)
                        foreach (string kind in TracingKinds)
                            rows.Add(ShardRow.Single(TracingKey(kind, model, hops, lines, rank),
                                ShardCost.Tracing(kind switch { "heads" => HeadPasses, "knockout" => KnockoutPasses, _ => chars }, chars, model)));
                }
            int longest = VariableBindingGenerator.GenerateExactHops(TracingRows.Lines.Max(), 1, new DeterministicRng(0)).Program.Length;
            int seedPasses = 2 * TracingRows.SeedsPerGroup * TracingRows.Hops.Count * TracingRows.Lines.Count;
            rows.Add(ShardRow.Single(SeedsKey(model), ShardCost.Tracing(seedPasses, longest, model)));
        }
        return rows;
    }
}
