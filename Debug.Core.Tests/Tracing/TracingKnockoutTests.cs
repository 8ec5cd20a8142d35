using Debug.Core.Interventions;
using Debug.Core.Tests.Model;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Tracing;

/// <summary>Knockout conditions: construction, batching independence and transformers' knockout references.</summary>
public sealed class TracingKnockoutTests
{
    [Fact(DisplayName = "Knockout conditions in one batch equal transformers' knockout.logits_last")]
    public void MatchesTransformers()
    {
        var f = TracingFixtures.Get("qwen3");
        var pair = TracingFixtures.Pair(f);
        var specs = f.Json.GetProperty("knockout.spec").EnumerateArray().Select((s, i) => new KnockoutCondition($"spec{i}",
            [new AttentionKnockout(s.GetProperty("layer").GetInt32(), s.GetProperty("head").GetInt32(), s.GetProperty("query_pos").GetInt32(),
                s.GetProperty("key_positions").EnumerateArray().Select(k => k.GetInt32()).ToList())])).ToList();
        var conditions = specs.Prepend(KnockoutCondition.Baseline).ToList();
        var results = KnockoutRun.Run(f.Model, pair, conditions, out var scoredAgainst);
        results[0].Metrics.RefLogitDiff.Should().BeApproximately(0, 1e-5, "the baseline row is the clean run (batched: rounding only)");

        // Rebuild the logits' effect on the answers from the reference: metrics of the reference rows must agree.
        using var scope = NewDisposeScope();
        var baseline = PatchBaseline.Create(f.Model.Forward(f.Reference["single.input_ids"], logitPositions: [-1]),
            f.Model.Forward(f.Reference["patch.corrupt_ids"], logitPositions: [-1]), null, null);
        var expected = PatchMetrics.Compute(f.Reference["knockout.logits_last"], baseline);
        scoredAgainst.CleanLogits.Should().Equal(baseline.CleanLogits, "the returned baseline is the clean run's");
        scoredAgainst.CounterfactualLogits.Should().Equal(baseline.CounterfactualLogits);
        for (int i = 0; i < specs.Count; i++)
        {
            var (a, e) = (results[i + 1].Metrics, expected[i]);
            a.PatchedTop.Should().Be(e.PatchedTop);
            a.LogitDiff.Should().BeApproximately(e.LogitDiff, 1e-4);
            a.RefLogitDiff.Should().BeApproximately(e.RefLogitDiff, 1e-4);
            a.CounterfactualProb.Should().BeApproximately(e.CounterfactualProb, 1e-5);
            Math.Abs(a.RefLogitDiff).Should().BeGreaterThan(0, "every reference knockout changes the logits");
        }
    }

    [Fact(DisplayName = "Direct cuts the root literal, chain cuts the intermediate links, in every head of the layers")]
    public void DirectVersusChainConditions()
    {
        var c = KnockoutCondition.DirectVersusChain(19, [3, 7, 11], [1, 2], heads: 4, suffix: "@L1-2");
        c.Select(x => x.Name).Should().Equal("baseline@L1-2", "direct@L1-2", "chain@L1-2");
        c[0].Knockouts.Should().BeEmpty();
        c[1].Knockouts.Should().HaveCount(8).And.OnlyContain(k => k.QueryPosition == 19 && k.KeyPositions.SequenceEqual(new[] { 3 }));
        c[2].Knockouts.Should().HaveCount(8).And.OnlyContain(k => k.KeyPositions.SequenceEqual(new[] { 7, 11 }));
        c[1].Knockouts.Select(k => (k.Layer, k.Head)).Should().BeEquivalentTo(
            from l in new[] { 1, 2 } from h in Enumerable.Range(0, 4) select (l, h));
        KnockoutCondition.DirectVersusChain(19, [3], [0], 4)[2].Knockouts.Should().BeEmpty("a one-hop chain has no intermediate link");
    }

    [Fact(DisplayName = "Each knockout row equals the same knockout run alone")]
    public void RowsAreIndependent()
    {
        var f = TracingFixtures.Get("gemma2");
        var pair = TracingFixtures.Pair(f);
        var conditions = KnockoutCondition.DirectVersusChain(f.T - 1, [3, 9], Enumerable.Range(0, f.Layers), f.Heads);
        var together = KnockoutRun.Run(f.Model, pair, conditions);
        foreach (var (condition, metrics) in together)
        {
            var alone = KnockoutRun.Run(f.Model, pair, [condition]).Single().Metrics;
            metrics.LogitDiff.Should().BeApproximately(alone.LogitDiff, 1e-5, condition.Name);
            metrics.CounterfactualProb.Should().BeApproximately(alone.CounterfactualProb, 1e-6, condition.Name);
        }
        together[1].Metrics.RefLogitDiff.Should().NotBe(0, "cutting the first differing token's attention everywhere changes the logits");
        FluentActions.Invoking(() => KnockoutRun.Run(f.Model, pair, [KnockoutCondition.Cut("bad", 2, [5], [0], 1)]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*causal*");
    }
}
