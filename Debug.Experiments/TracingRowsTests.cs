using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;

namespace Debug.Experiments;

/// <summary>How many robust-seed ranks the tracing rows cover, and the variable that lowers it.</summary>
[Trait("Category", "Consistency")]
public sealed class TracingRowsTests
{
    [Theory(DisplayName = "DEBUG_TRACING_SEEDS: 1 to 3 ranks, default 3, anything else refused by name")]
    [InlineData(null, 3)]
    [InlineData("", 3)]
    [InlineData("1", 1)]
    [InlineData(" 2 ", 2)]
    [InlineData("3", 3)]
    public void TracedRanks(string? value, int expected) => TracingRows.RanksTraced(value).Should().Be(expected);

    [Theory(DisplayName = "DEBUG_TRACING_SEEDS: out-of-range or non-numeric values name the variable")]
    [InlineData("0")]
    [InlineData("4")]
    [InlineData("-1")]
    [InlineData("two")]
    public void BadTracedRanks(string value)
    {
        var act = () => TracingRows.RanksTraced(value);
        act.Should().Throw<ArgumentException>().WithMessage($"*DEBUG_TRACING_SEEDS*'{value}'*");
    }

    [Theory(DisplayName = "Tracing selection: full for the embedded model, quick (5 lines, one rank) for others, DEBUG_TRACING and DEBUG_TRACING_SEEDS override")]
    [InlineData(true, null, null, "5,17", 3, true)]
    [InlineData(false, null, null, "5", 1, false)]
    [InlineData(false, "full", null, "5,17", 3, true)]
    [InlineData(false, " Full ", "1", "5,17", 1, true)]
    [InlineData(true, "quick", null, "5", 1, false)]
    [InlineData(false, "", "2", "5", 2, false)]
    public void Plans(bool embedded, string? selection, string? ranks, string lines, int expectedRanks, bool full)
    {
        var plan = TracingRows.PlanFor(embedded, selection, ranks);
        string.Join(",", plan.Lines).Should().Be(lines);
        plan.Ranks.Should().Be(expectedRanks);
        plan.Full.Should().Be(full);
        plan.SearchLimit.Should().Be(full ? TracingRows.SeedSearchLimit : TracingRows.QuickSeedSearchLimit);
    }

    [Fact(DisplayName = "DEBUG_TRACING: anything but quick or full is refused by name")]
    public void BadSelection()
    {
        var act = () => TracingRows.PlanFor(false, "everything", null);
        act.Should().Throw<ArgumentException>().WithMessage("*DEBUG_TRACING*'everything'*");
    }
}
