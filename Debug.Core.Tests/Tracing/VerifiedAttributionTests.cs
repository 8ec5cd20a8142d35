using Debug.Core.Interventions;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Tracing;

/// <summary>
/// The attribution result as the exact sweep's stand-in (same baseline, same type, same report files), the verified
/// mode (the exact engine on the top cells) and the agreement statistics.
/// </summary>
public sealed class VerifiedAttributionTests
{
    private static IReadOnlyList<PatchCell> Grid(int layers, int length, int heads) =>
        PatchCell.Grid(PatchKind.ResidPre, layers, Enumerable.Range(0, length))
            .Concat(PatchCell.Grid(PatchKind.MlpOut, layers, Enumerable.Range(0, length)))
            .Concat(PatchCell.Grid(PatchKind.AttnHead, layers, [length - 1], heads)).ToList();

    [Fact(DisplayName = "Attribution: the exact sweep's baseline and normalisation, cells before the first difference exactly unchanged")]
    public void EstimatesUseTheExactSweepsBaseline()
    {
        var f = TracingFixtures.Get("qwen3");
        var pair = TracingFixtures.Pair(f);
        var cells = Grid(f.Layers, f.T, f.Heads);
        using var atp = AttributionSweep.Run(f.Model, pair, cells);
        using var exact = PatchSweep.Run(f.Model, pair, cells);
        atp.Estimated.Should().BeTrue();
        exact.Estimated.Should().BeFalse();
        atp.Baseline.CleanLogits.Should().Equal(exact.Baseline.CleanLogits);
        (atp.Baseline.CleanAnswer, atp.Baseline.CounterfactualAnswer).Should().Be((exact.Baseline.CleanAnswer, exact.Baseline.CounterfactualAnswer));
        atp.ComputedCells.Should().Be(exact.ComputedCells);
        var unchanged = PatchMetrics.Unchanged(atp.Baseline);
        double span = atp.Baseline.CounterfactualLogitDiff - atp.Baseline.CleanLogitDiff;
        for (int i = 0; i < cells.Count; i++)
        {
            var m = atp.Metrics[i];
            if (cells[i].Position < pair.FirstDifference)
            {
                m.Should().Be(unchanged, $"{cells[i]} is before the first difference");
                continue;
            }
            m.NormalizedEffect.Should().BeApproximately((m.LogitDiff - atp.Baseline.CleanLogitDiff) / span, 1e-12);
            (m.PatchedTop, double.IsNaN(m.RefLogitDiff), double.IsNaN(m.CounterfactualProb), m.FlippedToCounterfactual).Should().Be((-1, true, true, false));
        }
    }

    [Fact(DisplayName = "Attribution: the tracing report writes an estimate like an exact sweep")]
    public void ReportsTakeTheEstimate()
    {
        var f = TracingFixtures.Get("qwen3");
        var pair = TracingFixtures.Pair(f);
        using var atp = AttributionSweep.Run(f.Model, pair, Grid(f.Layers, f.T, f.Heads));
        var folder = Path.Combine(Path.GetTempPath(), "debug-atp-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var tokens = pair.CleanIds.Select(id => $"t{id}").ToList();
            var context = new TracingContext("qwen3", "clean", "cf", tokens, new Dictionary<int, string> { [f.T - 1] = "prediction" });
            var files = TracingResults.WriteSweep(folder, atp, context, f.Layers, f.Heads);
            files.Select(Path.GetFileName).Should().Contain(["intervention_results.json", "patch_results.json", "heatmap_resid_pre.png", "heatmap_attn_head.png"]);
            files.Should().OnlyContain(p => new FileInfo(p).Length > 0);
            files.Should().NotContain(p => p.EndsWith("_normalized_logit_difference.png"), "an estimate has no reference-framework metric to plot");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(VerifiedCellsArePatchedExactly), MemberType = typeof(TracingFixtures))]
    public void VerifiedCellsArePatchedExactly(string fixture)
    {
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        var cells = Grid(f.Layers, f.T, f.Heads);
        const int k = 10;
        using var verified = VerifiedAttribution.Run(f.Model, pair, cells, k);
        using var full = PatchSweep.Run(f.Model, pair, cells);
        verified.VerifiedIndices.Should().HaveCount(k).And.OnlyHaveUniqueItems();
        var estimates = verified.VerifiedIndices.Select(i => Math.Abs(AttributionAgreement.Effect(verified.Attribution, i))).ToList();
        estimates.Should().BeInDescendingOrder();
        double weakestVerified = estimates[^1];
        for (int i = 0; i < cells.Count; i++)
            if (!verified.VerifiedIndices.Contains(i) && cells[i].Position >= pair.FirstDifference)
                Math.Abs(AttributionAgreement.Effect(verified.Attribution, i)).Should().BeLessThanOrEqualTo(weakestVerified, $"{cells[i]} is weaker than every verified cell");
        // The verified metrics are the exact engine's, cell for cell.
        verified.Exact.Cells.Should().Equal(verified.VerifiedIndices.Select(i => cells[i]));
        foreach (var (cell, estimated, exact) in verified.Verified)
        {
            exact.Should().BeApproximately(AttributionAgreement.Effect(full, cells.ToList().IndexOf(cell)), 1e-5, $"{cell}");
            estimated.Should().Be(AttributionAgreement.Effect(verified.Attribution, cells.ToList().IndexOf(cell)));
        }
        // Recall: the exact top k found among the verified cells.
        var exactTop = AttributionAgreement.Ranked(full).Take(k).ToHashSet();
        verified.Recall(full).Should().Be(verified.VerifiedIndices.Count(exactTop.Contains) / (double)k);
    }

    [Fact(DisplayName = "Attribution agreement: recall@k and Spearman on known rankings, cells before the first difference left out")]
    public void AgreementStatistics()
    {
        using var scope = NewDisposeScope();
        var baseline = PatchBaseline.Create(tensor(new float[] { 2, 0, 1 }), tensor(new float[] { 0, 2, 1 }), 0, 1); // clean logit diff 2
        var cells = Enumerable.Range(0, 6).Select(p => new PatchCell(PatchKind.ResidPre, 0, p)).ToList();
        PatchSweepResult Result(params double[] effects) => new(cells,
            effects.Select(e => new PatchMetrics(-1, double.NaN, double.NaN, false, 2 + e, e / -4, double.NaN, false)).ToList(),
            baseline, firstDifference: 1, computedCells: 5, logits: null);
        //                    position:  0 (ignored)  1     2     3    4     5
        using var exact = Result(100, 5, -4, 3, 0.5, 0.1);
        using var same = Result(-100, 10, -8, 6, 1, 0.2);
        using var reversed = Result(0, -0.1, 0.5, -3, 4, -5);
        using var half = Result(0, 5, 0.1, 0.2, 4, 3);
        AttributionAgreement.Ranked(exact).Should().Equal(1, 2, 3, 4, 5);
        AttributionAgreement.RecallAtK(same, exact, 2).Should().Be(1);
        AttributionAgreement.RecallAtK(half, exact, 2).Should().Be(0.5);
        AttributionAgreement.RecallAtK(reversed, exact, 2).Should().Be(0);
        AttributionAgreement.RecallAtK(reversed, exact, 50).Should().Be(1, "k is capped at the five ranked cells");
        AttributionAgreement.Spearman(same, exact).Should().BeApproximately(1, 1e-12);
        AttributionAgreement.Spearman(Result(0, -5, 4, -3, -0.5, -0.1), exact).Should().BeApproximately(-1, 1e-12);
        var other = new PatchSweepResult(cells.Take(5).ToList(), exact.Metrics.Take(5).ToList(), baseline, 1, 4, null);
        FluentActions.Invoking(() => AttributionAgreement.RecallAtK(other, exact, 2)).Should().Throw<ArgumentException>().WithParameterName("exact");
    }

    [Fact(DisplayName = "Attribution: bad arguments are typed errors naming them")]
    public void BadArguments()
    {
        var f = TracingFixtures.Get("qwen3");
        var pair = TracingFixtures.Pair(f);
        var cells = PatchCell.Grid(PatchKind.ResidPre, f.Layers, [f.T - 1]);
        FluentActions.Invoking(() => AttributionSweep.Run(f.Model, pair, cells, new AttributionOptions(InterpolationSteps: 0)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*InterpolationSteps*");
        FluentActions.Invoking(() => VerifiedAttribution.Run(f.Model, pair, cells, topK: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("topK");
        FluentActions.Invoking(() => AttributionSweep.Run(f.Model, pair, [new PatchCell(PatchKind.MlpOut, f.Layers, 0)]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*layer outside*");
    }
}
