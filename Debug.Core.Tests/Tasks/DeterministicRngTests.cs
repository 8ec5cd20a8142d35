using Debug.Core.Tasks;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks;

public class DeterministicRngTests
{
    [Fact(DisplayName = "Seed 0 reproduces the published SplitMix64 sequence")]
    public void MatchesSplitMix64Reference()
    {
        // From the reference definition (Vigna, splitmix64.c) with x = 0; recomputed with arbitrary-precision Python.
        var rng = new DeterministicRng(0);
        ulong[] expected = [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC, 0x1B39896A51A8749B];
        expected.Select(_ => rng.NextUInt64()).Should().Equal(expected);
    }

    [Fact(DisplayName = "The same seed gives the same stream; different seeds differ")]
    public void Deterministic()
    {
        var a = new DeterministicRng(42);
        var b = new DeterministicRng(42);
        var c = new DeterministicRng(43);
        var first = Enumerable.Range(0, 100).Select(_ => a.NextInt(1000)).ToArray();
        Enumerable.Range(0, 100).Select(_ => b.NextInt(1000)).Should().Equal(first);
        Enumerable.Range(0, 100).Select(_ => c.NextInt(1000)).Should().NotEqual(first);
    }

    [Fact(DisplayName = "NextInt stays in range and is roughly uniform over a non-power-of-two bound")]
    public void NextIntUniform()
    {
        var rng = new DeterministicRng(7);
        var counts = new int[6];
        const int draws = 60_000;
        for (int i = 0; i < draws; i++)
        {
            counts[rng.NextInt(6)]++;
        }
        // Expected 10,000 each; the standard deviation is about 91, so 500 is a > 5-sigma band.
        counts.Should().OnlyContain(n => Math.Abs(n - draws / 6) < 500);
    }

    [Fact(DisplayName = "NextInt(min, max) covers both ends of a negative range")]
    public void NextIntRange()
    {
        var rng = new DeterministicRng(3);
        var values = Enumerable.Range(0, 2000).Select(_ => rng.NextInt(-5, 10)).ToHashSet();
        values.Should().BeEquivalentTo(Enumerable.Range(-5, 15));
    }

    [Fact(DisplayName = "NextDouble is in [0, 1) with mean about one half")]
    public void NextDoubleRange()
    {
        var rng = new DeterministicRng(11);
        var values = Enumerable.Range(0, 20_000).Select(_ => rng.NextDouble()).ToArray();
        values.Should().OnlyContain(v => v >= 0.0 && v < 1.0);
        values.Average().Should().BeApproximately(0.5, 0.01);
    }

    [Fact(DisplayName = "Weighted choice follows integer weights and never picks a zero weight")]
    public void WeightedChoice()
    {
        var rng = new DeterministicRng(5);
        var counts = new int[4];
        int[] weights = [1, 8, 0, 27];
        for (int i = 0; i < 36_000; i++)
        {
            counts[rng.WeightedIndex(weights)]++;
        }
        counts[2].Should().Be(0);
        counts[0].Should().BeInRange(800, 1200);
        counts[1].Should().BeInRange(7400, 8600);
        counts[3].Should().BeInRange(26_000, 28_000);
        rng.WeightedChoice(["a", "b"], [0, 1]).Should().Be("b");
    }

    [Fact(DisplayName = "Choice returns members and reaches all of them")]
    public void Choice()
    {
        var rng = new DeterministicRng(9);
        string[] items = ["x", "y", "z"];
        Enumerable.Range(0, 300).Select(_ => rng.Choice(items)).Distinct().Should().BeEquivalentTo(items);
    }

    [Fact(DisplayName = "Shuffle permutes without losing elements and reaches every order")]
    public void Shuffle()
    {
        var rng = new DeterministicRng(13);
        var orders = new HashSet<string>();
        for (int i = 0; i < 600; i++)
        {
            var list = new List<int> { 1, 2, 3 };
            rng.Shuffle(list);
            orders.Add(string.Join(",", list));
        }
        // Six distinct orders of {1, 2, 3} can only be the six permutations, so nothing was lost or duplicated.
        orders.Should().HaveCount(6).And.OnlyContain(o => o.Split(',').Order().SequenceEqual(new[] { "1", "2", "3" }));
    }

    [Fact(DisplayName = "Invalid arguments are rejected with the parameter named")]
    public void Validation()
    {
        var rng = new DeterministicRng(0);
        rng.Invoking(r => r.NextInt(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxExclusive");
        rng.Invoking(r => r.NextInt(5, 5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxExclusive");
        rng.Invoking(r => r.NextBool(1.5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probability");
        rng.Invoking(r => r.Choice(Array.Empty<int>())).Should().Throw<ArgumentException>().WithParameterName("items");
        rng.Invoking(r => r.WeightedIndex([0, 0])).Should().Throw<ArgumentException>().WithParameterName("weights");
        rng.Invoking(r => r.WeightedIndex([1, -1])).Should().Throw<ArgumentException>().WithParameterName("weights");
        rng.Invoking(r => r.WeightedChoice(["a"], [1, 2])).Should().Throw<ArgumentException>().WithParameterName("weights");
    }
}
