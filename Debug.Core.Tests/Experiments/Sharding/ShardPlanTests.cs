using Debug.Core.Experiments.Sharding;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments.Sharding;

/// <summary>Properties of the shard assignment over many random row sets and shard counts.</summary>
public sealed class ShardPlanTests
{
    // Row sets of 0..60 rows in up to 15 groups, costs spanning four orders of magnitude (tiny vs 14B models).
    private static List<ShardRow> RandomRows(int seed)
    {
        var random = new Random(seed);
        int rows = random.Next(0, 61), groups = random.Next(1, 16);
        return [.. Enumerable.Range(0, rows).Select(i =>
        {
            string group = "g" + random.Next(groups);
            return new ShardRow($"{group}/row{i}", group, Math.Pow(10, random.NextDouble() * 4));
        })];
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 40)];

    [Theory(DisplayName = "Shard plan: every row in exactly one shard, groups whole, for 1 to 12 shards")]
    [MemberData(nameof(Seeds))]
    public void Partition(int seed)
    {
        var rows = RandomRows(seed);
        for (int n = 1; n <= 12; n++)
        {
            var plan = ShardPlan.Assign(rows, n);
            var union = Enumerable.Range(0, n).SelectMany(plan.RowsOf).ToList();
            union.Should().BeEquivalentTo(rows.Select(r => r.Key), "n = {0}: every row once", n);
            union.Should().OnlyHaveUniqueItems();
            foreach (var group in rows.GroupBy(r => r.Group))
                group.Select(r => plan.ShardOf(r.Key)).Distinct().Should().ContainSingle("group {0} stays whole", group.Key);
            plan.Loads.Sum().Should().BeApproximately(rows.Sum(r => r.Cost), 1e-6 * Math.Max(1, rows.Sum(r => r.Cost)));
        }
    }

    [Theory(DisplayName = "Shard plan: the largest shard is at most the mean load plus the largest group")]
    [MemberData(nameof(Seeds))]
    public void Balance(int seed)
    {
        var rows = RandomRows(seed);
        double largestGroup = rows.GroupBy(r => r.Group).Select(g => g.Sum(r => r.Cost)).DefaultIfEmpty(0).Max();
        for (int n = 1; n <= 12; n++)
        {
            var plan = ShardPlan.Assign(rows, n);
            plan.Loads.Max().Should().BeLessThanOrEqualTo(plan.Loads.Sum() / n + largestGroup + 1e-9, "n = {0}", n);
        }
    }

    [Theory(DisplayName = "Shard plan: the same rows in any order give the same plan")]
    [MemberData(nameof(Seeds))]
    public void OrderIndependent(int seed)
    {
        var rows = RandomRows(seed);
        var shuffled = rows.OrderBy(_ => Guid.NewGuid()).ToList();
        foreach (int n in new[] { 2, 3, 7 })
            ShardPlan.Assign(shuffled, n).Rows.Should().BeEquivalentTo(ShardPlan.Assign(rows, n).Rows);
    }

    [Fact(DisplayName = "Shard plan: equal rows spread evenly, and more shards than rows leaves some empty")]
    public void EvenAndEmpty()
    {
        var rows = Enumerable.Range(0, 12).Select(i => ShardRow.Single($"r{i:D2}", 5)).ToList();
        ShardPlan.Assign(rows, 3).Loads.Should().Equal(20, 20, 20);
        var sparse = ShardPlan.Assign(rows.Take(2), 4);
        sparse.Loads.Should().Equal(5, 5, 0, 0);
        sparse.RowsOf(3).Should().BeEmpty();
    }

    [Fact(DisplayName = "Shard plan: an expensive row gets a shard of its own")]
    public void ExpensiveRowAlone()
    {
        var rows = new List<ShardRow> { ShardRow.Single("big", 100) };
        rows.AddRange(Enumerable.Range(0, 10).Select(i => ShardRow.Single($"small{i}", 1)));
        var plan = ShardPlan.Assign(rows, 2);
        plan.RowsOf(plan.ShardOf("big")).Should().Equal("big");
    }

    [Fact(DisplayName = "Shard plan: duplicate keys, bad costs and a zero count are refused, naming the row")]
    public void Refused()
    {
        FluentActions.Invoking(() => ShardPlan.Assign([ShardRow.Single("a", 1), ShardRow.Single("a", 2)], 2))
            .Should().Throw<ArgumentException>().WithMessage("*'a' is listed twice*");
        FluentActions.Invoking(() => ShardPlan.Assign([ShardRow.Single("b", double.NaN)], 2))
            .Should().Throw<ArgumentException>().WithMessage("*'b'*positive and finite*");
        FluentActions.Invoking(() => ShardPlan.Assign([ShardRow.Single("c", 0)], 2))
            .Should().Throw<ArgumentException>().WithMessage("*'c'*");
        FluentActions.Invoking(() => ShardPlan.Assign([], 0)).Should().Throw<ArgumentException>().WithMessage("*at least 1*");
        FluentActions.Invoking(() => ShardPlan.Assign([ShardRow.Single("d", 1)], 1).ShardOf("e"))
            .Should().Throw<KeyNotFoundException>().WithMessage("*'e'*");
    }
}
