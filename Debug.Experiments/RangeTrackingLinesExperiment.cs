using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's range_tracking_lines: x = 0 and the same x += z line repeated. One row per (model, length); the gate is thresholds.json's range_tracking_lines entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "range_tracking_lines")]
public sealed class RangeTrackingLinesExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.RangeTrackingLines.ByLength(nameof(RangeTrackingLines));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void RangeTrackingLines(string model, int seqLen) => suite.Check(ExperimentDefinitions.RangeTrackingLines, model, seqLen, null, output);
}
