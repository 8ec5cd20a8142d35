using Debug.Core.Interventions;
using Debug.Core.Tests.Model;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Tracing;

/// <summary>
/// The fast patch sweep against the naive three-forwards-per-cell method (1e-5 on every metric, float32) and against
/// transformers' patched logits in the fixtures (abs 1e-4), on every fixture architecture.
/// </summary>
public sealed class TracingSweepTests(ITestOutputHelper output)
{
    private const double FastVsNaive = 1e-5;

    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(FastEqualsNaive), MemberType = typeof(TracingFixtures))]
    public void FastEqualsNaive(string fixture)
    {
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        // The naive method costs three forwards per cell: a sample that still covers every kind, layer and head, and
        // positions before, at and after the first difference. The full grids are checked against transformers below.
        int d0 = pair.FirstDifference;
        int[] positions = [0, d0 - 1, d0, d0 + 1, f.T / 2, f.T - 1];
        int[] headPositions = [d0, f.T - 1];
        var cells = PatchCell.Grid(PatchKind.ResidPre, f.Layers, positions)
            .Concat(PatchCell.Grid(PatchKind.ResidPost, f.Layers, positions))
            .Concat(PatchCell.Grid(PatchKind.MlpOut, f.Layers, positions))
            .Concat(PatchCell.Grid(PatchKind.AttnHead, f.Layers, headPositions, f.Heads))
            .ToList();
        using var fast = PatchSweep.Run(f.Model, pair, cells);
        using var naive = NaivePatching.Run(f.Model, pair, cells);
        double worst = TracingFixtures.AssertSameMetrics(fixture, fast, naive, FastVsNaive);
        output.WriteLine($"{fixture}: {cells.Count} cells, {fast.ComputedCells} computed, max metric diff fast vs naive {worst:G3}");
        fast.ComputedCells.Should().Be(cells.Count(c => c.Position >= pair.FirstDifference));
    }

    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(PaddedGroupsEqualNaive), MemberType = typeof(TracingFixtures))]
    public void PaddedGroupsEqualNaive(string fixture)
    {
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        // Every position from the first difference on, so neighbouring positions share padded forwards.
        var positions = Enumerable.Range(pair.FirstDifference, f.T - pair.FirstDifference).ToArray();
        var cells = PatchCell.Grid(PatchKind.ResidPost, f.Layers, positions)
            .Concat(PatchCell.Grid(PatchKind.MlpOut, f.Layers, positions))
            .Concat(PatchCell.Grid(PatchKind.AttnHead, f.Layers, positions, f.Heads))
            .ToList();
        var buckets = PatchSweep.Buckets(positions, f.T, 0.5);
        buckets.Should().Contain(b => b.End > b.Start, "some positions should share a forward at 50% padding");
        using var padded = PatchSweep.Run(f.Model, pair, cells, new PatchSweepOptions(MaxPaddingFraction: 0.5));
        using var naive = NaivePatching.Run(f.Model, pair, cells);
        double worst = TracingFixtures.AssertSameMetrics(fixture, padded, naive, FastVsNaive);
        output.WriteLine($"{fixture}: buckets {string.Join(" ", buckets)}, max metric diff padded vs naive {worst:G3}");
    }

    [Fact(DisplayName = "Sweep buckets: padding at most the given fraction, every position once, none at 0")]
    public void BucketsBoundPadding()
    {
        int length = 30;
        var positions = new[] { 3, 4, 5, 9, 10, 20, 27, 28, 29 };
        foreach (double max in new[] { 0.0, 0.1, 0.25, 0.5 })
        {
            var buckets = PatchSweep.Buckets(positions, length, max);
            buckets.SelectMany(b => positions.Where(p => p >= b.Start && p <= b.End)).Should().BeEquivalentTo(positions);
            foreach (var (start, end) in buckets)
            {
                positions.Should().Contain([start, end]);
                ((double)(end - start) / (length - start)).Should().BeLessThanOrEqualTo(max);
            }
            if (max == 0) buckets.Should().HaveCount(positions.Length);
        }
        // Near the end a one-token step is a large fraction of the row; early on several positions fit under 25%.
        PatchSweep.Buckets(positions, length, 0.25).Should().Equal((29, 29), (28, 28), (27, 27), (20, 20), (4, 10), (3, 3));
    }

    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(FastEqualsTransformers), MemberType = typeof(TracingFixtures))]
    public void FastEqualsTransformers(string fixture)
    {
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        var positions = Enumerable.Range(0, f.T).ToList();
        var options = new PatchSweepOptions(KeepLogits: true);
        using var scope = NewDisposeScope();
        using (var resid = PatchSweep.Run(f.Model, pair, PatchCell.Grid(PatchKind.ResidPost, f.Layers, positions), options))
            output.WriteLine($"{fixture}: patch.resid_post max abs diff vs transformers {TensorAssert.Close($"{fixture}: patch.resid_post", resid.Logits!.view(f.Layers, f.T, -1), f.Reference["patch.resid_post"]):G3}");
        using (var mlp = PatchSweep.Run(f.Model, pair, PatchCell.Grid(PatchKind.MlpOut, f.Layers, positions), options))
            output.WriteLine($"{fixture}: patch.mlp_out max abs diff vs transformers {TensorAssert.Close($"{fixture}: patch.mlp_out", mlp.Logits!.view(f.Layers, f.T, -1), f.Reference["patch.mlp_out"]):G3}");
        var headPositions = f.Json.GetProperty("patch.attn_head.positions").EnumerateArray().Select(p => p.GetInt32()).ToList();
        using var heads = PatchSweep.Run(f.Model, pair, PatchCell.Grid(PatchKind.AttnHead, f.Layers, headPositions, f.Heads), options);
        output.WriteLine($"{fixture}: patch.attn_head max abs diff vs transformers {TensorAssert.Close($"{fixture}: patch.attn_head", heads.Logits!.view(f.Layers, f.Heads, headPositions.Count, -1), f.Reference["patch.attn_head"]):G3}");
    }

    [Fact(DisplayName = "Cells before the first differing token are exactly unchanged and not computed")]
    public void BeforeFirstDifferenceIsExactlyZero()
    {
        var f = TracingFixtures.Get("qwen3");
        var pair = TracingFixtures.Pair(f);
        pair.FirstDifference.Should().Be(3, "patch.corrupt_ids differs at positions 3 and 9");
        var cells = PatchCell.Grid(PatchKind.ResidPost, f.Layers, Enumerable.Range(0, f.T));
        using var fast = PatchSweep.Run(f.Model, pair, cells);
        fast.ComputedCells.Should().Be(f.Layers * (f.T - 3));
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i].Position >= 3) continue;
            var m = fast.Metrics[i];
            (m.RefLogitDiff, m.RefNormalized, m.NormalizedEffect, m.LogitDiff - fast.Baseline.CleanLogitDiff)
                .Should().Be((0.0, 0.0, 0.0, 0.0), $"{cells[i]} cannot change anything");
            m.RefSuccess.Should().BeFalse();
            m.PatchedTop.Should().Be(fast.Baseline.CleanTop);
        }
    }

    [Fact(DisplayName = "Patching the last position after the last block gives the counterfactual run's logits")]
    public void LastCellIsTheCounterfactualRun()
    {
        var f = TracingFixtures.Get("llama");
        var pair = TracingFixtures.Pair(f);
        var cell = new PatchCell(PatchKind.ResidPost, f.Layers - 1, f.T - 1);
        using var result = PatchSweep.Run(f.Model, pair, [cell]);
        var m = result[cell];
        m.LogitDiff.Should().BeApproximately(result.Baseline.CounterfactualLogitDiff, 1e-5);
        m.NormalizedEffect.Should().BeApproximately(1.0, 1e-5);
        m.PatchedTop.Should().Be(result.Baseline.CounterfactualTop);
    }

    [Fact(DisplayName = "Pairs of different lengths and out-of-range cells are rejected")]
    public void RejectsBadInput()
    {
        FluentActions.Invoking(() => new PatchingPair([1, 2, 3], [1, 2])).Should().Throw<ArgumentException>().WithMessage("*3 tokens*2*");
        var f = TracingFixtures.Get("qwen3");
        var pair = TracingFixtures.Pair(f);
        FluentActions.Invoking(() => PatchSweep.Run(f.Model, pair, [new PatchCell(PatchKind.ResidPost, f.Layers, 0)]))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => PatchSweep.Run(f.Model, pair, [new PatchCell(PatchKind.AttnHead, 0, 0)]))
            .Should().Throw<ArgumentException>().WithMessage("*head*");
    }
}
