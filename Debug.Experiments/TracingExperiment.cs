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
[Trait("Task", "variable_binding")]
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
    public void RobustSeeds(string model)
    {
        var loaded = Cases.Model(model);
        var table = new List<object>();
        foreach (int hops in TracingRows.Hops)
            foreach (int lines in TracingRows.Lines)
            {
                var seeds = Cases.RobustSeeds(model, hops, lines);
                seeds.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
                if (loaded.Reference.IsEmbedded) seeds.Should().HaveCount(TracingRows.SeedsPerGroup, "the embedded model answers binding programs");
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
        Snapshot.Match(table, Name(nameof(RobustSeeds), model));
    }

    /// <summary>
    /// Runs one theory row's sweep of <paramref name="patch"/> over every layer at the positions chosen for its case
    /// (every head for head patching), plus <paramref name="extraCells"/> (given the case and the layer count), and writes
    /// its results folder. The caller disposes the result.
    /// </summary>
    private (LoadedModel Model, BindingTracingCase Case, PatchSweepResult Result, string Folder) Sweep(string kind, PatchKind patch,
        string model, int hops, int lines, int seedRank, Func<BindingTracingCase, IEnumerable<int>> positions,
        Func<BindingTracingCase, int, IEnumerable<PatchCell>>? extraCells = null)
    {
        var (loaded, c) = Cases.Case(model, hops, lines, seedRank);
        int layers = loaded.Model.NumLayers, heads = loaded.Model.NumHeads;
        var cells = PatchCell.Grid(patch, layers, positions(c), patch == PatchKind.AttnHead ? heads : 0);
        if (extraCells is not null) cells = [.. cells, .. extraCells(c, layers)];
        var result = PatchSweep.Run(loaded.Model, c.Pair, cells);
        string folder = Folder(kind, model, hops, lines, c);
        TracingResults.WriteSweep(folder, result, Context(model, loaded, c), layers, heads);
        TracingExperimentMetadata.Write(folder, model, c, cells.Count, DateTime.UtcNow);
        return (loaded, c, result, folder);
    }

    /// <summary>Token labels, output folder and snapshot helpers shared by the theories.</summary>
    private static TracingContext Context(string model, LoadedModel loaded, BindingTracingCase c) =>
        TracingContext.For(model, c, loaded.Tokenizer);

    private string Folder(string kind, string model, int hops, int lines, BindingTracingCase c) =>
        TracingResults.CreateRunFolder(Cases.ResultsRoot, $"tracing_{kind}_{SnapshotFolder.Safe(model)}_h{hops}_l{lines}_s{c.Seed}", DateTime.UtcNow);

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
