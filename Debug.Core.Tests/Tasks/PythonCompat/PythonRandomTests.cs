using Debug.Core.Tasks.PythonCompat;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks.PythonCompat;

public class PythonRandomTests
{
    [Theory(DisplayName = "random.seed(n); random.random() gives CPython's published values")]
    [InlineData(0, 0.8444218515250481)]
    [InlineData(42, 0.6394267984578837)]
    public void RandomMatchesCPython(long seed, double expected) => new PythonRandom(seed).Random().Should().Be(expected);

    [Fact(DisplayName = "The sign of the seed is ignored, as in CPython")]
    public void NegativeSeed() => new PythonRandom(-42).Random().Should().Be(new PythonRandom(42).Random());

    [Fact(DisplayName = "choice of 9 candidates redraws 4-bit values of 9 and above")]
    public void RandBelowRejects()
    {
        var reference = new PythonRandom(7);
        var rng = new PythonRandom(7);
        for (int i = 0; i < 100; i++)
        {
            uint r;
            do
            {
                r = reference.GetRandBits(4);
            }
            while (r >= 9);
            rng.RandBelow(9).Should().Be((int)r);
        }
        rng.WordsDrawn.Should().Be(reference.WordsDrawn);
    }
}

public class PythonMathTests
{
    [Theory(DisplayName = "Floor division and modulo follow Python on negative operands")]
    [InlineData(-7, 2, -4, 1)]
    [InlineData(7, -2, -4, -1)]
    [InlineData(-7, -2, 3, -1)]
    [InlineData(7, 2, 3, 1)]
    [InlineData(-6, 3, -2, 0)]
    public void Floors(long a, long b, long quotient, long remainder)
    {
        PythonMath.FloorDiv(a, b).Should().Be(quotient);
        PythonMath.FloorMod(a, b).Should().Be(remainder);
    }
}
