using Debug.Core.Interventions;
using Debug.Core.Tests.Model;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tracing;

/// <summary>
/// The sweep packs the resumed forwards of different positions into one sequence per block (one GEMM per weight for
/// all of them). Packed, split into several waves, or one forward per position: the metrics agree with the naive
/// method to 1e-5 on every fixture architecture.
/// </summary>
public sealed class PackedSweepTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(PackedWavesEqualNaive), MemberType = typeof(TracingFixtures))]
    public void PackedWavesEqualNaive(string fixture)
    {
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        var positions = Enumerable.Range(0, f.T).ToArray();
        var cells = PatchCell.Grid(PatchKind.ResidPre, f.Layers, positions)
            .Concat(PatchCell.Grid(PatchKind.MlpOut, f.Layers, positions))
            .Concat(PatchCell.Grid(PatchKind.AttnHead, f.Layers, positions, f.Heads))
            .ToList();
        using var naive = NaivePatching.Run(f.Model, pair, cells);
        // Everything in one wave; a few positions per wave; one position per wave (budget 1: no packing at all).
        foreach (int budget in new[] { 1 << 20, 4 * f.T * f.Layers, 1 })
        {
            using var fast = PatchSweep.Run(f.Model, pair, cells, new PatchSweepOptions(MaxTokensPerForward: budget));
            double worst = TracingFixtures.AssertSameMetrics($"{fixture} (budget {budget})", fast, naive, 1e-5);
            output.WriteLine($"{fixture}: budget {budget} tokens, max metric diff vs naive {worst:G3}");
        }
    }

    [Fact(DisplayName = "Sweep waves: consecutive groups within the token budget, an oversized group alone, none lost")]
    public void WavesRespectTheBudget()
    {
        int length = 10;
        // Tokens at the last block: cells x (length - start) = 6x8=48, 2x5=10, 4x2=8, 30x1=30.
        var groups = new List<(int Start, int[] Cells)>
        {
            (2, Enumerable.Range(0, 6).ToArray()), (5, [6, 7]), (8, [8, 9, 10, 11]), (9, Enumerable.Range(12, 30).ToArray()),
        };
        var waves = PatchSweep.Waves(groups, length, 20);
        waves.Select(w => w.Select(g => g.Start).ToArray()).Should().BeEquivalentTo(
            new[] { new[] { 2 }, [5, 8], [9] }, o => o.WithStrictOrdering());
        PatchSweep.Waves(groups, length, 1000).Should().ContainSingle().Which.Should().HaveCount(4);
        PatchSweep.Waves(groups, length, 1).Should().HaveCount(4);
    }
}
