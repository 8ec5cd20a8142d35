using Debug.Core.Interventions;
using Debug.Core.Tests.Model;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tracing;

/// <summary>
/// <see cref="AttributionSweep.RunBatch"/> against one <see cref="AttributionSweep.Run"/> per pair, on every fixture
/// architecture: a batch with a shorter pair (left padding, so a wrong padding offset, a row's gradient leaking into
/// another row or a masked position reaching the metric shows up) and the pair reversed (same length, other answers);
/// and <see cref="VerifiedAttribution.RunBatch"/>, whose exact cells must be each pair's own.
/// </summary>
public sealed class AttributionBatchTests(ITestOutputHelper output)
{
    // The batch's products add in another order than a single row's; in float32 over these few layers that moves an
    // estimate by about 1e-6 of the logit scale. A wrong row, offset or mask moves it by the effect itself (order 0.1-1).
    private const double Tolerance = 1e-4;

    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(BatchOfPairsMatchesEachPairAlone), MemberType = typeof(TracingFixtures))]
    public void BatchOfPairsMatchesEachPairAlone(string fixture)
    {
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        PatchingPair[] pairs = [pair, Shorter(pair), new PatchingPair(pair.CounterfactualIds, pair.CleanIds)];
        var cells = Grids(f, pairs);

        var batch = AttributionSweep.RunBatch(f.Model, pairs, cells);
        try
        {
            batch.Should().HaveCount(3);
            double worst = 0, spread = 0;
            for (int p = 0; p < pairs.Length; p++)
            {
                using var alone = AttributionSweep.Run(f.Model, pairs[p], cells[p]);
                batch[p].Estimated.Should().BeTrue();
                batch[p].Baseline.CleanAnswer.Should().Be(alone.Baseline.CleanAnswer, "pair {0}'s answers come from its own row", p);
                batch[p].Baseline.CounterfactualAnswer.Should().Be(alone.Baseline.CounterfactualAnswer);
                batch[p].Baseline.CleanLogitDiff.Should().BeApproximately(alone.Baseline.CleanLogitDiff, Tolerance);
                batch[p].Baseline.CounterfactualLogitDiff.Should().BeApproximately(alone.Baseline.CounterfactualLogitDiff, Tolerance);
                worst = Math.Max(worst, TracingFixtures.AssertSameMetrics($"{fixture} pair {p}", batch[p], alone, Tolerance));
                spread = Math.Max(spread, Enumerable.Range(0, cells[p].Count).Max(i => Math.Abs(AttributionAgreement.Effect(alone, i))));
            }
            spread.Should().BeGreaterThan(100 * Tolerance, "the estimates must be large enough for the tolerance to tell a wrong row from rounding");
            output.WriteLine($"{fixture}: lengths {string.Join(", ", pairs.Select(p => p.Length))}; largest |estimate| {spread:G3}, worst batch-vs-alone difference {worst:G3}");
        }
        finally
        {
            foreach (var r in batch) r.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(VerifiedBatchPatchesEachPairsTopCellsExactly), MemberType = typeof(TracingFixtures))]
    public void VerifiedBatchPatchesEachPairsTopCellsExactly(string fixture)
    {
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        PatchingPair[] pairs = [pair, Shorter(pair)];
        var cells = Grids(f, pairs);
        const int k = 5;
        var verified = VerifiedAttribution.RunBatch(f.Model, pairs, cells, k);
        try
        {
            verified.Should().HaveCount(2);
            for (int p = 0; p < pairs.Length; p++)
            {
                // Each pair's own strongest estimates, patched by the exact engine on that pair's prompts.
                verified[p].VerifiedIndices.Should().Equal(AttributionAgreement.Ranked(verified[p].Attribution).Take(k));
                var chosen = verified[p].VerifiedIndices.Select(i => cells[p][i]).ToList();
                using var exact = PatchSweep.Run(f.Model, pairs[p], chosen);
                TracingFixtures.AssertSameMetrics($"{fixture} pair {p}", verified[p].Exact, exact, 0);
            }
        }
        finally
        {
            foreach (var v in verified) v.Dispose();
        }
    }

    [Fact]
    public void BadBatchesAreRefusedNamingTheArgument()
    {
        var f = TracingFixtures.Get(TracingFixtures.Names(nameof(BadBatchesAreRefusedNamingTheArgument)).First().Data);
        var pair = TracingFixtures.Pair(f);
        var cells = Grid(f.Layers, pair.Length, f.Heads);
        FluentActions.Invoking(() => AttributionSweep.RunBatch(f.Model, [], []))
            .Should().Throw<ArgumentException>().WithParameterName("pairs");
        FluentActions.Invoking(() => AttributionSweep.RunBatch(f.Model, [pair, pair], [cells]))
            .Should().Throw<ArgumentException>().WithParameterName("cells").WithMessage("1 cell lists for 2 pairs*");
        // A cell beyond a shorter pair's prompt is refused even though the batch is padded to a longer one.
        FluentActions.Invoking(() => AttributionSweep.RunBatch(f.Model, [pair, Shorter(pair)], [cells, cells]))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => VerifiedAttribution.RunBatch(f.Model, [pair], [cells], topK: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("topK");
    }

    // The pair without its first two tokens: shorter, so a batch with it is left-padded.
    private static PatchingPair Shorter(PatchingPair p) => new(p.CleanIds.Skip(2).ToList(), p.CounterfactualIds.Skip(2).ToList());

    private static List<IReadOnlyList<PatchCell>> Grids(ReferenceFixture f, IEnumerable<PatchingPair> pairs) =>
        pairs.Select(p => (IReadOnlyList<PatchCell>)Grid(f.Layers, p.Length, f.Heads)).ToList();

    private static List<PatchCell> Grid(int layers, int t, int heads) =>
        PatchCell.Grid(PatchKind.ResidPre, layers, Enumerable.Range(0, t))
            .Concat(PatchCell.Grid(PatchKind.ResidPost, layers, Enumerable.Range(0, t)))
            .Concat(PatchCell.Grid(PatchKind.MlpOut, layers, Enumerable.Range(0, t)))
            .Concat(PatchCell.Grid(PatchKind.AttnHead, layers, Enumerable.Range(0, t), heads))
            .ToList();
}
