using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>Range tracking: the value of x after a for-range loop. One row per (model, length); the gate is thresholds.json's range_tracking entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "range_tracking")]
public sealed class RangeTrackingExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.RangeTracking.ByLength(nameof(RangeTracking));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void RangeTracking(string model, int seqLen) => suite.Check(ExperimentDefinitions.RangeTracking, model, seqLen, null, output);
}
