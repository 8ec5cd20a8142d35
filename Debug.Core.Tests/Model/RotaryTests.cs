using Debug.Core.Model;
using Debug.Core.Model.Blocks;
using Debug.Core.Model.Loading;
using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Model;

/// <summary>
/// RoPE scalings checked against a scalar re-derivation of the HF formulas (the fixtures only cover default RoPE).
/// </summary>
public sealed class RotaryTests
{
    private const int HeadDim = 16;

    private static double[] Angles(RopeConfig rope, long position, int maxPositions = 256)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var rotary = new Rotary(rope, HeadDim, maxPositions);
        var (cos, sin) = rotary.CosSin(tensor(new[] { position }).view(1, 1), ScalarType.Float32);
        var c = cos.flatten().data<float>().ToArray();
        var s = sin.flatten().data<float>().ToArray();
        return Enumerable.Range(0, HeadDim / 2).Select(i => Math.Atan2(s[i], c[i])).ToArray();
    }

    private static double[] Expected(Func<int, double> invFreq, long position) =>
        Enumerable.Range(0, HeadDim / 2).Select(i =>
        {
            double a = position * invFreq(i);
            return Math.Atan2(Math.Sin(a), Math.Cos(a));
        }).ToArray();

    private static double Base(double theta, int i) => 1.0 / Math.Pow(theta, 2.0 * i / HeadDim);

    private static void ShouldMatch(double[] actual, double[] expected)
    {
        for (int i = 0; i < actual.Length; i++)
            actual[i].Should().BeApproximately(expected[i], 2e-4, $"frequency {i}");
    }

    [Fact(DisplayName = "RoPE default: angle = position * theta^(-2i/d)")]
    public void Default() => ShouldMatch(Angles(new RopeConfig { Theta = 10000 }, 37), Expected(i => Base(10000, i), 37));

    [Fact(DisplayName = "RoPE linear: frequencies divided by the factor")]
    public void Linear() =>
        ShouldMatch(Angles(new RopeConfig { Type = "linear", Theta = 10000, Factor = 4 }, 37), Expected(i => Base(10000, i) / 4, 37));

    [Fact(DisplayName = "RoPE llama3: low frequencies scaled, high kept, the band between blended")]
    public void Llama3()
    {
        var rope = new RopeConfig
        {
            Type = "llama3", Theta = 500000, Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 64,
        };
        double Scaled(int i)
        {
            double f = Base(500000, i), wavelen = 2 * Math.PI / f, low = 64 / 1.0, high = 64 / 4.0;
            if (wavelen < high) return f;
            if (wavelen > low) return f / 8;
            double smooth = (64 / wavelen - 1) / (4 - 1);
            return (1 - smooth) * f / 8 + smooth * f;
        }
        // The three bands must all occur for this test to mean anything.
        var bands = Enumerable.Range(0, HeadDim / 2).Select(i => 2 * Math.PI / Base(500000, i))
            .Select(w => w < 16 ? 0 : w > 64 ? 2 : 1).Distinct().Count();
        bands.Should().Be(3);
        ShouldMatch(Angles(rope, 21), Expected(Scaled, 21));
    }

    [Fact(DisplayName = "RoPE dynamic NTK: unchanged inside the original context, larger base beyond it")]
    public void Dynamic()
    {
        var rope = new RopeConfig { Type = "dynamic", Theta = 10000, Factor = 2, OriginalMaxPositionEmbeddings = 32 };
        ShouldMatch(Angles(rope, 20, maxPositions: 32), Expected(i => Base(10000, i), 20));
        double theta = 10000 * Math.Pow(2.0 * 41 / 32 - 1, HeadDim / (HeadDim - 2.0));
        ShouldMatch(Angles(rope, 40, maxPositions: 32), Expected(i => Base(theta, i), 40));
    }

    [Fact(DisplayName = "An unsupported RoPE type is refused by name")]
    public void Unsupported()
    {
        var act = () => new Rotary(new RopeConfig { Type = "yarn" }, HeadDim, 256);
        act.Should().Throw<ModelArchitectureException>().WithMessage("*yarn*supported: default, linear, llama3, dynamic*");
    }
}
