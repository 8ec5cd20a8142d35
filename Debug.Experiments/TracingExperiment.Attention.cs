using Debug.Core.Interventions;
using Debug.Core.Reports;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Snapshooter.Xunit3;
using Xunit;

namespace Debug.Experiments;

public sealed partial class TracingExperiment
{
    /// <summary>
    /// Head patching (hook_z) at the prediction position: every head of every layer, patched from the counterfactual run
    /// one at a time. Any model: every effect is finite and the layer x head grid is snapshotted. Embedded model: the
    /// planted lookup heads (head 0 of layers 1-4) carry the effect: the strongest head is one of them, and together
    /// they outweigh all the other heads.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rows), nameof(HeadPatching))]
    [Trait(TracingTraits.Name, TracingTraits.Heads)]
    public void HeadPatching(string model, int hops, int lines, int seedRank)
    {
        using var heartbeat = Heartbeat(nameof(HeadPatching), model, hops, lines, seedRank);
        var (loaded, c, result, folder) = Sweep("heads", PatchKind.AttnHead, model, hops, lines, seedRank, c => [c.Prediction], heartbeat);
        using var _ = result;
        int layers = loaded.Model.NumLayers, heads = loaded.Model.NumHeads;

        var grid = Enumerable.Range(0, layers).Select(l => Enumerable.Range(0, heads)
            .Select(h => Round(result[new PatchCell(PatchKind.AttnHead, l, c.Prediction, h)].NormalizedEffect)).ToArray()).ToList();
        for (int l = 0; l < layers; l++) output.WriteLine($"{model}, {c}: L{l} " + string.Join(" ", grid[l].Select(F2)));
        output.WriteLine($"results: {folder}");

        var all = result.Cells.Zip(result.Metrics, (cell, m) => (cell, Effect: m.NormalizedEffect)).ToList();
        all.Should().OnlyContain(e => double.IsFinite(e.Effect), "the clean and counterfactual runs disagree, so every effect is defined");
        if (loaded.Reference.IsEmbeddedBindingModel)
        {
            var strongest = all.MaxBy(e => Math.Abs(e.Effect));
            IsPlanted(strongest.cell).Should().BeTrue("the strongest head ({0}, {1:F2}) should be a planted lookup head", strongest.cell, strongest.Effect);
            double planted = all.Where(e => IsPlanted(e.cell)).Sum(e => e.Effect), others = all.Where(e => !IsPlanted(e.cell)).Sum(e => Math.Abs(e.Effect));
            planted.Should().BeGreaterThan(others, "head 0 of layers 1-4 should carry more than all other heads together");
        }
        GridSnapshot.Match(new { Case = c.ToString(), Position = c.Prediction, NormalizedEffectByLayerThenHead = grid },
            Name(nameof(HeadPatching), model, hops, lines, seedRank));
    }

    /// <summary>
    /// Attention knockout at the prediction position: "direct" cuts its view of the root literal, "chain" its view of
    /// the intermediate links. Any model: the cuts span every head of every layer, and the baseline changes nothing.
    /// Embedded model: the cuts are also made in head 0 of layers 1-4 alone (the planted heads) and in every head of
    /// those layers. A one-hop answer is read directly from the root literal (cutting head 0's view of it hurts, cutting
    /// every head's loses the answer); a deeper one is found by following the chain (without the intermediate links the
    /// answer is lost, and they matter more than a direct view of the root).
    /// </summary>
    [Theory]
    [MemberData(nameof(Rows), nameof(AttentionKnockout))]
    [Trait(TracingTraits.Name, TracingTraits.Knockout)]
    public void AttentionKnockout(string model, int hops, int lines, int seedRank)
    {
        experiments.Shard.SkipUnlessMine(SuiteShard.TracingKey("knockout", model, hops, lines, seedRank));
        using var heartbeat = Heartbeat(nameof(AttentionKnockout), model, hops, lines, seedRank);
        var (loaded, c) = Cases.Case(model, hops, lines, seedRank, heartbeat);
        int layers = loaded.Model.NumLayers, heads = loaded.Model.NumHeads;
        var everywhere = KnockoutCondition.DirectVersusChain(c.Prediction, c.LinkPositions, Enumerable.Range(0, layers), heads, "@all");
        var conditions = loaded.Reference.IsEmbeddedBindingModel
            ? KnockoutCondition.DirectVersusChain(c.Prediction, c.LinkPositions, PlantedLayers, heads: 1)
                .Concat(KnockoutCondition.DirectVersusChain(c.Prediction, c.LinkPositions, PlantedLayers, heads, "@allheads").Skip(1))
                .Concat(everywhere.Skip(1)).ToList()
            : [KnockoutCondition.Baseline, .. everywhere.Skip(1)];
        heartbeat.Update($"{c}: knockout, {conditions.Count} conditions");
        var results = KnockoutRun.Run(loaded.Model, c.Pair, conditions, out var baseline);
        string folder = Folder("knockout", model, loaded, hops, lines, c);
        TracingResults.WriteKnockout(folder, results, baseline, Context(model, loaded, c));
        TracingExperimentMetadata.Write(folder, model, c, results.Count, DateTime.UtcNow);

        var byName = results.ToDictionary(r => r.Condition.Name, r => r.Metrics);
        double clean = byName["baseline"].LogitDiff;
        string Label(int id) => loaded.Tokenizer.Decode([id]);
        foreach (var (condition, m) in results)
            output.WriteLine($"{model}, {c}: {condition.Name,-16} top '{Label(m.PatchedTop)}' logit diff {F2(m.LogitDiff)} (clean {F2(clean)}), " +
                $"normalized {F2(m.NormalizedEffect)}, cf prob {m.CounterfactualProb:F3}, {condition.Knockouts.Count} cuts");
        output.WriteLine($"results: {folder}");

        byName["baseline"].PatchedTop.Should().Be(c.Pair.CleanAnswer!.Value);
        // The batched knockout forward differs from the single-row baseline only by float rounding.
        byName["baseline"].NormalizedEffect.Should().BeApproximately(0, 1e-3);
        clean.Should().BePositive("the seed is robust: the clean answer beats the counterfactual one");
        if (loaded.Reference.IsEmbeddedBindingModel)
        {
            if (hops == 1)
            {
                // A one-hop answer is read from the root literal: cutting the planted heads' view of it costs logit
                // difference (measured: 37% to more than all of it), with every head cut the answer is lost, and there is no chain.
                byName["direct"].LogitDiff.Should().BeLessThan(0.9 * clean, "cutting head 0's view of the root literal should hurt");
                byName["direct@allheads"].PatchedTop.Should().NotBe(c.Pair.CleanAnswer!.Value, "a one-hop answer is read from the root literal");
                byName["chain"].Should().Be(byName["baseline"], "a one-hop chain has no intermediate link");
            }
            else
            {
                // Chain following, not a direct pointer: without the intermediate links (every head of layers 1-4) the
                // answer is lost, and the links matter more than the root itself (cutting head 0's view of the root
                // alone keeps 19-91% of the logit difference at two and three hops).
                byName["chain@allheads"].PatchedTop.Should().NotBe(c.Pair.CleanAnswer!.Value, "the answer is found by following the chain");
                byName["chain@allheads"].LogitDiff.Should().BeLessThan(0.5 * clean);
                byName["chain@allheads"].LogitDiff.Should().BeLessThan(byName["direct@allheads"].LogitDiff,
                    "the prediction should depend more on the chain's links than on a direct view of the root");
            }
        }

        GridSnapshot.Match(results.Select(r => new
        {
            Condition = r.Condition.Name,
            Cuts = r.Condition.Knockouts.Count,
            Top = Label(r.Metrics.PatchedTop),
            LogitDiff = new GridNumber(r.Metrics.LogitDiff, 1),
            Retained = Round(r.Metrics.LogitDiff / clean),
            r.Metrics.RefSuccess,
        }).ToList(), Name(nameof(AttentionKnockout), model, hops, lines, seedRank));
    }
}
