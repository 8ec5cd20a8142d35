using Debug.Core.Experiments;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;
using Xunit.Sdk;

namespace Debug.Experiments;

/// <summary>
/// Experiment rows read <c>Theory(model: m, seqLen: 5)</c> and carry a Model trait; a tracing row with nothing to
/// trace is skipped with its reason (xunit's <see cref="Assert.Skip(string)"/>), never passed and never failed.
/// </summary>
[Trait("Category", "Consistency")]
public sealed class ExperimentRowsTests
{
    [Fact(DisplayName = "Accuracy rows are named Theory(model: m, seqLen: n, hops: h) and carry the Model trait")]
    public void AccuracyRowsAreNamed()
    {
        var row = ExperimentRows.Row("VariableBinding", "Qwen/Qwen3-0.6B", 10, 2);
        row.TestDisplayName.Should().Be("VariableBinding(model: Qwen/Qwen3-0.6B, seqLen: 10, hops: 2)");
        row.Traits.Should().ContainKey("Model").WhoseValue.Should().Equal("Qwen/Qwen3-0.6B");
        ((ITheoryDataRow)row).GetData().Should().Equal("Qwen/Qwen3-0.6B", 10, 2);
    }

    [Fact(DisplayName = "Tracing rows are named Theory(model, hops, lines, seedRank), one per traced model and rank")]
    public void TracingRowsAreNamed()
    {
        var rows = TracingRows.Rows("ResidualPatching").ToList();
        var selection = ExperimentSelection.Current();
        rows.Should().HaveCount(TracingRows.TracedModels(selection).Sum(m => TracingRows.Hops.Count * TracingRows.PlanFor(selection, m).Lines.Count
            * TracingRows.PlanFor(selection, m).Ranks));
        rows.Select(r => r.TestDisplayName).Should().OnlyHaveUniqueItems();
        var first = ExperimentRows.TracingRow("ResidualPatching", "tiny", 3, 17, 2);
        first.TestDisplayName.Should().Be("ResidualPatching(model: tiny, hops: 3, lines: 17, seedRank: 2)");
        first.Traits["Model"].Should().Equal("tiny");
    }

    [Fact(DisplayName = "Binding tracing runs on tiny and any other model, not on tracker (trained on no binding program)")]
    public void TrackerIsNotTraced()
    {
        TracingRows.TracedModels(new ExperimentSelection(["tiny", "tracker", "Qwen/Qwen3-0.6B"], 5, "test")).Should().Equal("tiny", "Qwen/Qwen3-0.6B");
        TracingRows.TracedModels(new ExperimentSelection(["/abs/models/tracker"], 5, "test")).Should().Equal(["tracker"], "a folder given by path is traced");
    }

    [Fact(DisplayName = "A tracing row without a robust seed of its rank is skipped, with the count in the reason")]
    public void MissingSeedSkips()
    {
        var act = () => TracingCases.SkipUnlessTraceable("m", hops: 3, lines: 17, seedRank: 2, robustSeeds: 1);
        act.Should().Throw<SkipException>().Which.Message.Should()
            .EndWith("m answers both prompts of only 1 of the first 200 hops-3, 17-line programs, so there is no robust seed #2 to trace.");
    }

    [Fact(DisplayName = "A tracing row whose rank has a robust seed runs")]
    public void PresentSeedRuns()
    {
        var act = () => TracingCases.SkipUnlessTraceable("m", hops: 1, lines: 5, seedRank: 2, robustSeeds: 3);
        act.Should().NotThrow();
    }
}
