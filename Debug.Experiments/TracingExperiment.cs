using System.Diagnostics;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Interventions;
using Debug.Core.Reports;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Snapshooter;
using Snapshooter.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Debug.Experiments;

/// <summary>
/// Causal tracing of the embedded model's planted lookup circuit on root-flipped variable-binding pairs (see
/// models/tiny/README.md): residual patching over every token and layer, and attention knockout of the answer
/// position's lookups. Each row writes a results folder and locks rounded aggregates in a snapshot.
/// </summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Tracing")]
[Trait("Task", "variable_binding")]
public sealed class TracingExperiment(TracingSuite suite, ITestOutputHelper output) : IClassFixture<TracingSuite>
{
    /// <summary>(model, hops, lines, robust seed) rows.</summary>
    public static TheoryData<string, int, int, ulong> Rows => TracingRows.Rows();

    /// <summary>
    /// Full token x layer resid_pre sweep (fast engine). Before the first differing token nothing changes; the root
    /// literal's residual at layer 0 carries the answer; at the last layer only the prediction position does.
    /// </summary>
    [ExperimentTheory]
    [MemberData(nameof(Rows))]
    public void ResidualPatching(string model, int hops, int lines, ulong seed)
    {
        var watch = Stopwatch.StartNew();
        var c = suite.Case(hops, lines, seed);
        var pair = c.Pair;
        int layers = suite.Model.NumLayers, last = layers - 1, t = pair.Length;
        var cells = PatchCell.Grid(PatchKind.ResidPre, layers, Enumerable.Range(0, t));
        using var result = PatchSweep.Run(suite.Model, pair, cells);
        var tokens = TokenTexts(c);
        string folder = TracingResults.CreateRunFolder(suite.ResultsRoot, $"tracing_resid_{model}_h{hops}_l{lines}_s{seed}", DateTime.UtcNow);
        TracingResults.WritePatchResults(Path.Combine(folder, "patch_results.json"), result, tokens);
        TracingResults.WriteHeatmaps(folder, result, tokens, layers, suite.Model.NumHeads);

        result.Baseline.CleanTop.Should().Be(pair.CleanAnswer!.Value, "the seed is robust");
        result.Baseline.CounterfactualTop.Should().Be(pair.CounterfactualAnswer!.Value, "the seed is robust");
        // (a) Before the first differing token (the root literal) both runs are identical: exactly zero effect.
        result.FirstDifference.Should().Be(c.Root);
        for (int i = 0; i < cells.Count; i++)
            if (cells[i].Position < c.Root)
                result.Metrics[i].NormalizedEffect.Should().Be(0, "{0} lies before the first difference", cells[i]);
        // (b) The root literal's token at layer 0 carries the whole answer.
        var rootCell = result[new PatchCell(PatchKind.ResidPre, 0, c.Root)];
        rootCell.FlippedToCounterfactual.Should().BeTrue("resid_pre L0 at the root literal should flip the answer");
        // (c) At the last layer only the prediction position carries the effect.
        var prediction = result[new PatchCell(PatchKind.ResidPre, last, c.Prediction)];
        prediction.FlippedToCounterfactual.Should().BeTrue("resid_pre at the last layer at the prediction should flip the answer");
        double elsewhere = Enumerable.Range(0, t - 1).Max(p => Math.Abs(result[new PatchCell(PatchKind.ResidPre, last, p)].NormalizedEffect));
        elsewhere.Should().BeLessThan(0.1, "at the last layer the answer already sits at the prediction position");

        var perLayer = Enumerable.Range(0, layers).Select(l => new
        {
            Layer = l,
            Root = Round(result[new PatchCell(PatchKind.ResidPre, l, c.Root)].NormalizedEffect),
            Prediction = Round(result[new PatchCell(PatchKind.ResidPre, l, c.Prediction)].NormalizedEffect),
        }).ToList();
        output.WriteLine($"{c}: {t} tokens, root at {c.Root}, {result.ComputedCells}/{cells.Count} cells computed, " +
            $"max |effect| at the last layer off the prediction {elsewhere:F4}, {watch.Elapsed.TotalSeconds:F1} s -> {folder}");
        foreach (var row in perLayer) output.WriteLine($"  L{row.Layer}: root {row.Root:F2}, prediction {row.Prediction:F2}");
        Snapshot.Match(new { Case = c.ToString(), Tokens = t, c.Root, c.Prediction, PerLayer = perLayer },
            new SnapshotFullName($"{nameof(TracingExperiment)}.{nameof(ResidualPatching)}_h{hops}_l{lines}_s{seed}.snap", SnapshotFolder.Find()));
    }

    private static string[] TokenTexts(BindingTracingCase c) =>
        c.Pair.CleanIds.Select(id => id < 128 ? ((char)id).ToString() : $"<{id}>").ToArray();

    private static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero) + 0.0;
}
