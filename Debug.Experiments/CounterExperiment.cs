using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>Conditional counters. One row per (model, length); the gate is thresholds.json's counter entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "counter")]
public sealed class CounterExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.Counter.ByLength(nameof(Counter));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void Counter(string model, int seqLen) => suite.Check(ExperimentDefinitions.Counter, model, seqLen, null, output);
}
