using Debug.Core.Model.Generation;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Serving;

/// <summary>The seeded per-row sampler behind best-of-k.</summary>
public sealed class TokenSamplingTests
{
    [Fact(DisplayName = "Sampling draws tokens in proportion to softmax(logits / T), reproducibly per seed")]
    public void MatchesSoftmax()
    {
        float[] logits = [2f, 1f, 0f, float.NegativeInfinity];
        const double t = 0.5;
        var expected = logits.Select(l => Math.Exp(l / t)).ToArray();
        double sum = expected.Sum();
        var sampler = new TokenSampling(t, [42UL]);
        var counts = new int[4];
        const int draws = 20000;
        for (int i = 0; i < draws; i++) counts[sampler.Sample(0, logits)]++;
        counts[3].Should().Be(0, "a -inf logit is never drawn");
        for (int k = 0; k < 3; k++)
            ((double)counts[k] / draws).Should().BeApproximately(expected[k] / sum, 0.015, "token {0}'s frequency", k);

        var a = new TokenSampling(t, [7UL, 8UL]);
        var b = new TokenSampling(t, [7UL, 9UL]);
        var rowA = Enumerable.Range(0, 50).Select(_ => a.Sample(0, logits)).ToList();
        Enumerable.Range(0, 50).Select(_ => b.Sample(0, logits)).Should().Equal(rowA, "row 0 has seed 7 in both");
    }

    [Fact(DisplayName = "A very low temperature picks the most likely token; zero or negative temperatures are refused")]
    public void LowTemperature()
    {
        var sampler = new TokenSampling(1e-4, [1UL]);
        Enumerable.Range(0, 100).Select(_ => sampler.Sample(0, [0.1f, 0.3f, 0.2f])).Should().OnlyContain(i => i == 1);
        FluentActions.Invoking(() => new TokenSampling(0, [1UL])).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new TokenSampling(-1, [1UL])).Should().Throw<ArgumentOutOfRangeException>();
    }
}
