using Debug.Core.Experiments;
using Debug.Core.Experiments.Sharding;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;

namespace Debug.Experiments;

/// <summary>The suite's rows as shards see them: one catalog for every theory row, split without loss or overlap.</summary>
[Trait("Category", "Consistency")]
public sealed class SuiteShardTests
{
    private static readonly ExperimentSelection TwoModels = new(["tiny", "Qwen/Qwen3-0.6B"], 50, "test");

    // The keys of the rows the theories list, built the way the theories build them.
    private static IEnumerable<string> TheoryRowKeys(ExperimentSelection selection, int ranks)
    {
        foreach (var d in ExperimentDefinitions.All)
            foreach (var (len, hops) in d.ToConfig(selection).Groups())
                foreach (string model in selection.DisplayNames)
                    yield return SuiteShard.AccuracyKey(d.Name, model, len, hops);
        foreach (string model in selection.DisplayNames)
        {
            yield return SuiteShard.SeedsKey(model);
            foreach (int hops in TracingRows.Hops)
                foreach (int lines in TracingRows.Lines)
                    for (int rank = 0; rank < ranks; rank++)
                        foreach (string kind in SuiteShard.TracingKinds)
                            yield return SuiteShard.TracingKey(kind, model, hops, lines, rank);
        }
    }

    [Fact(DisplayName = "Suite shards: the catalog lists every theory row once, for each model")]
    public void CatalogMatchesTheoryRows()
    {
        var catalog = SuiteShard.Catalog(TwoModels, TracingRows.SeedsPerGroup);
        catalog.Select(r => r.Key).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(TheoryRowKeys(TwoModels, TracingRows.SeedsPerGroup));
        // The rows of the accuracy theories of the current selection, as their MemberData lists them.
        int accuracyRows = ExperimentDefinitions.All.Sum(d => d.Hops is null ? d.ByLength("theory").Count() : d.ByHops("theory").Count());
        int models = ExperimentSelection.Current().DisplayNames.Count;
        catalog.Count(r => r.Key.StartsWith("accuracy/", StringComparison.Ordinal)).Should().Be(accuracyRows / models * 2);
    }

    [Fact(DisplayName = "Suite shards: 1 to 8 shards run every row exactly once, and a 14B model's rows cost more than tiny's")]
    public void EveryRowOnce()
    {
        var catalog = SuiteShard.Catalog(TwoModels, 2);
        for (int n = 1; n <= 8; n++)
        {
            var shards = Enumerable.Range(0, n).Select(k => new SuiteShard(new ShardSpec(k, n, "test"), TwoModels, 2)).ToList();
            foreach (var row in catalog)
                shards.Count(s => s.IsMine(row.Key)).Should().Be(1, "{0} with {1} shards", row.Key, n);
            shards.Sum(s => s.RowCount).Should().Be(catalog.Count);
        }
        var cost = catalog.ToDictionary(r => r.Key, r => r.Cost);
        cost[SuiteShard.AccuracyKey("counter", "Qwen/Qwen3-0.6B", 5, null)].Should().BeGreaterThan(1000 * cost[SuiteShard.AccuracyKey("counter", "tiny", 5, null)]);
        cost[SuiteShard.AccuracyKey("variable_binding", "tiny", 17, null)].Should().BeGreaterThan(2 * cost[SuiteShard.AccuracyKey("variable_binding", "tiny", 2, null)], "a longer prompt");
    }

    [Fact(DisplayName = "Suite shards: a row of another shard is skipped with the shard that runs it")]
    public void SkipNamesTheShard()
    {
        var shard = new SuiteShard(new ShardSpec(1, 3, "DEBUG_SHARD"), TwoModels, 3);
        string other = shard.Plan.RowsOf(2)[0], mine = shard.Plan.RowsOf(1)[0];
        shard.SkipReason(mine).Should().BeNull();
        shard.SkipReason(other).Should().Match($"Not in this shard: DEBUG_SHARD = 1/3 runs {shard.RowCount} of * rows; this row runs in shard 2/3.");
        FluentActions.Invoking(() => shard.SkipUnlessMine(other)).Should().Throw<Xunit.Sdk.SkipException>().WithMessage("*shard 2/3*");
        new SuiteShard(ShardSpec.Unsharded, TwoModels, 3).SkipReason(other).Should().BeNull("one shard runs everything");
    }
}
