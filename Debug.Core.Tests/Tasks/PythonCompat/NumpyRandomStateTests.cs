using Debug.Core.Tasks.PythonCompat;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks.PythonCompat;

public class NumpyRandomStateTests
{
    [Fact(DisplayName = "RandomState(0).random_sample() and RandomState(42).rand() give numpy's published values")]
    public void RandomMatchesNumpy()
    {
        // numpy.random.RandomState(0).random_sample() and RandomState(42).rand(): the first values of numpy's docs and tutorials.
        new NumpyRandomState(0).Random().Should().Be(0.5488135039273248);
        new NumpyRandomState(42).Random().Should().Be(0.3745401188473625);
    }

    [Fact(DisplayName = "randint(0, 10, size=5) on RandomState(0) gives numpy's [5, 0, 3, 3, 7]")]
    public void RandIntMatchesNumpy()
    {
        var rng = new NumpyRandomState(0);
        rng.RandInt(0, 10, 5).Should().Equal(5, 0, 3, 3, 7);
        rng.WordsDrawn.Should().BeGreaterThanOrEqualTo(5);
    }

    [Fact(DisplayName = "MT19937 with init_genrand(5489) gives the reference first outputs")]
    public void ReferenceStream()
    {
        // mt19937ar.c's default seed 5489: the first outputs are 3499211612, 581869302, 3890346734.
        var rng = new NumpyRandomState(5489);
        new[] { rng.NextUInt32(), rng.NextUInt32(), rng.NextUInt32() }.Should().Equal(3499211612u, 581869302u, 3890346734u);
    }

    [Theory(DisplayName = "A seed outside [0, 2^32) is an ArgumentException naming the seed")]
    [InlineData(-1L)]
    [InlineData(4294967296L)]
    public void RejectsSeedsOutOfRange(long seed)
    {
        var act = () => new NumpyRandomState(seed);
        act.Should().Throw<ArgumentException>().WithParameterName("seed").WithMessage("*2**32*");
    }

    [Fact(DisplayName = "The largest seed 2^32 - 1 is accepted")]
    public void AcceptsLargestSeed() => new NumpyRandomState(uint.MaxValue).NextUInt32();

    [Fact(DisplayName = "randint over a one-value range and choice of one item draw nothing")]
    public void SingleValueDrawsNothing()
    {
        var rng = new NumpyRandomState(3);
        rng.RandInt(7, 8).Should().Be(7);
        rng.Choice(new[] { "only" }).Should().Be("only");
        rng.WordsDrawn.Should().Be(0);
    }

    [Fact(DisplayName = "random() takes two words and weighted choice takes two words even for one item")]
    public void WordCounts()
    {
        var rng = new NumpyRandomState(3);
        rng.Random();
        rng.WordsDrawn.Should().Be(2);
        rng.Choice(new[] { 'a' }, new[] { 1.0 }).Should().Be('a');
        rng.WordsDrawn.Should().Be(4);
    }

    [Fact(DisplayName = "randint rejects masked values above the range instead of taking a modulo")]
    public void MaskedRejection()
    {
        // Range 0..4 uses mask 7: values 5..7 of the masked word are redrawn.
        var reference = new NumpyRandomState(11);
        var rng = new NumpyRandomState(11);
        for (int i = 0; i < 200; i++)
        {
            long expected;
            do
            {
                expected = reference.NextUInt32() & 7;
            }
            while (expected > 4);
            rng.RandInt(0, 5).Should().Be(expected);
        }
        rng.WordsDrawn.Should().Be(reference.WordsDrawn);
    }

    [Fact(DisplayName = "Weighted choice picks the first cumulative entry above one random() draw")]
    public void WeightedChoiceSearchesRight()
    {
        var probe = new NumpyRandomState(5);
        double u = probe.Random();
        // Weights with the cumulative boundary exactly at u on the right side: p = [u, 1 - u] gives cdf[0] = u <= u.
        var rng = new NumpyRandomState(5);
        rng.Choice(new[] { "left", "right" }, new[] { u, 1 - u }).Should().Be("right");
        var again = new NumpyRandomState(5);
        again.Choice(new[] { "left", "right" }, new[] { 1.0, 0.0 }).Should().Be("left");
    }

    [Fact(DisplayName = "Weighted choice rejects probabilities that do not sum to one or differ in count")]
    public void WeightedChoiceValidates()
    {
        var rng = new NumpyRandomState(1);
        rng.Invoking(r => r.Choice(new[] { 1, 2 }, new[] { 0.5, 0.4 })).Should().Throw<ArgumentException>().WithParameterName("p");
        rng.Invoking(r => r.Choice(new[] { 1, 2 }, new[] { 1.0 })).Should().Throw<ArgumentException>().WithParameterName("p");
    }

    [Fact(DisplayName = "get_state / set_state replays the stream from the saved position")]
    public void StateRoundTrip()
    {
        var rng = new NumpyRandomState(9);
        rng.RandInt(0, 100, 700); // past a twist
        var state = rng.GetState();
        var after = rng.RandInt(0, 1000, 50);
        rng.SetState(state);
        rng.RandInt(0, 1000, 50).Should().Equal(after);
        NumpyRandomState.FromState(state).RandInt(0, 1000, 50).Should().Equal(after);
    }

    [Fact(DisplayName = "randint over more than 2^32 values (numpy's 64-bit path, which no framework generator reaches) is an ArgumentException naming both bounds")]
    public void RandIntWiderThan32Bits()
    {
        var rng = new NumpyRandomState(0);
        var act = () => rng.RandInt(0, (1L << 32) + 1);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "high").WithMessage("randint(low=0, high=4294967297)*exceeds 2^32*");
        // The widest range of the 32-bit path, 2^32 values (numpy takes one raw word), still works.
        var a = new NumpyRandomState(7);
        var b = new NumpyRandomState(7);
        a.RandInt(0, 1L << 32).Should().Be(b.NextUInt32());
        a.WordsDrawn.Should().Be(1);
    }
}
