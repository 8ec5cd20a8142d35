using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's range_tracking_single: a for-range loop adding one value to x = 0. One row per (model, length); the gate is thresholds.json's range_tracking_single entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "range_tracking_single")]
public sealed class RangeTrackingSingleExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.RangeTrackingSingle.ByLength(nameof(RangeTrackingSingle));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void RangeTrackingSingle(string model, int seqLen) => suite.Check(ExperimentDefinitions.RangeTrackingSingle, model, seqLen, null, output);
}
