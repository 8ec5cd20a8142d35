using System.Globalization;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Interventions;
using Debug.Core.Reports;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Snapshooter;
using Snapshooter.Xunit3;
using Xunit;

namespace Debug.Experiments;

/// <summary>
/// Causal tracing of variable binding on root-flipped program pairs, for every model of the selection (the embedded
/// model by default; <c>-p:DebugModels</c> / <c>DEBUG_MODELS</c> as for the accuracy experiments). Rows are (model,
/// hops 1-3, 5 or 17 lines, robust seed rank 0-2). Every row writes a results folder and locks rounded aggregates in a
/// snapshot named after the model and row, so a change in the model or the code fails it. Assertions come in two
/// kinds: properties every causal model has (exact zeros before the first differing token, patching the only
/// differing token's embedding reproduces the counterfactual run), and, for the embedded model, the planted lookup
/// circuit its training put there (models/tiny/README.md).
/// </summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Tracing")]
[Trait("Task", TracingTraits.Task)]
public sealed partial class TracingExperiment(ExperimentSuite experiments, ITestOutputHelper output)
{
    /// <summary>(model, hops, lines, seedRank) rows of <paramref name="theory"/>.</summary>
    public static IEnumerable<TheoryDataRow<string, int, int, int>> Rows(string theory) => TracingRows.Rows(theory);

    /// <summary>One row of <paramref name="theory"/> per selected model.</summary>
    public static IEnumerable<TheoryDataRow<string>> ModelRows(string theory) => TracingRows.Models(theory);

    private TracingCases Cases => experiments.Tracing;

    // Head 0 of layers 1-4 is the embedded model's planted lookup chain (its training supervised their attention).
    private static readonly int[] PlantedLayers = [1, 2, 3, 4];

    private static bool IsPlanted(PatchCell cell) => cell.Head == 0 && PlantedLayers.Contains(cell.Layer);

    /// <summary>
    /// The robust-seed table of a model: for each (hops, lines), the first seeds whose program and counterfactual it
    /// answers. Every listed seed is robust, a pair with swapped answers is not, and the embedded model (which answers
    /// every binding program) fills every group. Locked in a snapshot per model.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModelRows), nameof(RobustSeeds))]
    [Trait(TracingTraits.Name, TracingTraits.Seeds)]
    public void RobustSeeds(string model)
    {
        experiments.Shard.SkipUnlessMine(SuiteShard.SeedsKey(model));
        using var heartbeat = Cases.Heartbeat($"{nameof(RobustSeeds)}(model: {model})", output);
        var loaded = Cases.Model(model);
        // The table covers the model's tracing selection: everything for the full one, the quick one's groups and ranks otherwise.
        var plan = TracingRows.PlanFor(Cases.Selection, model);
        int count = plan.Full ? TracingRows.SeedsPerGroup : plan.Ranks;
        var table = new List<object>();
        foreach (int hops in TracingRows.Hops)
            foreach (int lines in plan.Lines)
            {
                var seeds = Cases.RobustSeeds(model, hops, lines, count, heartbeat);
                seeds.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
                if (loaded.Reference.IsEmbeddedBindingModel) seeds.Should().HaveCount(count, "the embedded model answers binding programs");
                foreach (ulong seed in seeds)
                {
                    var c = BindingTracingCase.Create(loaded.Tokenizer, hops, lines, seed);
                    Core.Experiments.Tracing.RobustSeeds.IsRobust(loaded.Model, c).Should().BeTrue("{0} is listed as robust", c);
                    var swapped = c with { Pair = new PatchingPair(c.Pair.CleanIds, c.Pair.CounterfactualIds, c.Pair.CounterfactualAnswer, c.Pair.CleanAnswer) };
                    Core.Experiments.Tracing.RobustSeeds.IsRobust(loaded.Model, swapped).Should().BeFalse("the swapped answers are wrong on both prompts");
                }
                output.WriteLine($"{model}: hops {hops}, lines {lines}: {string.Join(", ", seeds)}");
                table.Add(new { Hops = hops, Lines = lines, Seeds = seeds });
            }
        Snapshot.Match(table, Name(plan.Full ? nameof(RobustSeeds) : $"{nameof(RobustSeeds)}_quick_n{count}", model));
    }

    /// <summary>
    /// Runs one theory row's sweep of <paramref name="patch"/> over every layer at the positions chosen for its case
    /// (every head for head patching), plus <paramref name="extraCells"/> (given the case and the layer count), and writes
    /// its results folder. The caller disposes the result.
    /// </summary>
    private (LoadedModel Model, BindingTracingCase Case, PatchSweepResult Result, string Folder) Sweep(string kind, PatchKind patch,
        string model, int hops, int lines, int seedRank, Func<BindingTracingCase, IEnumerable<int>> positions, ProgressHeartbeat heartbeat,
        Func<BindingTracingCase, int, IEnumerable<PatchCell>>? extraCells = null)
    {
        experiments.Shard.SkipUnlessMine(SuiteShard.TracingKey(kind, model, hops, lines, seedRank));
        var (loaded, c) = Cases.Case(model, hops, lines, seedRank, heartbeat);
        int layers = loaded.Model.NumLayers, heads = loaded.Model.NumHeads;
        var cells = PatchCell.Grid(patch, layers, positions(c), patch == PatchKind.AttnHead ? heads : 0);
        if (extraCells is not null) cells = [.. cells, .. extraCells(c, layers)];
        heartbeat.Update($"{c}: clean and counterfactual runs of {cells.Count} cells");
        var result = PatchSweep.Run(loaded.Model, c.Pair, cells, new PatchSweepOptions(Progress: heartbeat.As<SweepProgress>()));
        string folder = Folder(kind, model, loaded, hops, lines, c);
        TracingResults.WriteSweep(folder, result, Context(model, loaded, c), layers, heads);
        TracingExperimentMetadata.Write(folder, model, c, cells.Count, DateTime.UtcNow);
        return (loaded, c, result, folder);
    }

    /// <summary>Token labels, output folder and snapshot helpers shared by the theories.</summary>
    private static TracingContext Context(string model, LoadedModel loaded, BindingTracingCase c) =>
        TracingContext.For(model, c, loaded.Tokenizer);

    // One folder per row inside the run folder, named without a time (the run folder has it): a resumed run rewrites
    // the same folder, and shards merge into the names a single run would have written. It carries the model's
    // provenance record (folder, snapshot, weight hashes, Debug build).
    private string Folder(string kind, string model, LoadedModel loaded, int hops, int lines, BindingTracingCase c)
    {
        string folder = Directory.CreateDirectory(Path.Combine(Cases.ResultsRoot, $"tracing_{kind}_{SnapshotFolder.Safe(model)}_h{hops}_l{lines}_s{c.Seed}")).FullName;
        ResultsWriter.WriteProvenance(folder, [Cases.Provenance(loaded)]);
        return folder;
    }

    /// <summary>The heartbeat of a (model, hops, lines, seedRank) row, labelled as the row's display name reads.</summary>
    private ProgressHeartbeat Heartbeat(string theory, string model, int hops, int lines, int seedRank) =>
        Cases.Heartbeat(ExperimentRows.DisplayName(theory, ("model", model), ("hops", hops), ("lines", lines), ("seedRank", seedRank)), output);

    private static SnapshotFullName Name(string theory, string model, int hops, int lines, int rank) =>
        Name($"{theory}_{SnapshotFolder.Safe(model)}_h{hops}_l{lines}_r{rank}", null);

    private static SnapshotFullName Name(string theory, string? model) =>
        new($"{nameof(TracingExperiment)}.{theory}{(model is null ? "" : "_" + SnapshotFolder.Safe(model))}.snap", SnapshotFolder.Find());

    // Two decimals, far coarser than the 1e-5 agreement of the fast and naive engines; compared by value within half
    // a step plus a guard band (GridSnapshot), so cross-CPU float noise at a rounding boundary cannot flip a snapshot.
    private static GridNumber Round(double value) => new(value, 2);

    private static string F2(GridNumber value) => value.ToString();

    private static string F2(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
