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
}
