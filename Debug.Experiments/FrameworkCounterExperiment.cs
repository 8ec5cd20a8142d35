using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's make_counter_program in its RANGE_TRACKING prompt. One row per (model, length); the gate is thresholds.json's framework_counter entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "framework_counter")]
public sealed class FrameworkCounterExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.FrameworkCounter.ByLength(nameof(FrameworkCounter));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void FrameworkCounter(string model, int seqLen) => suite.Check(ExperimentDefinitions.FrameworkCounter, model, seqLen, null, output);
}
