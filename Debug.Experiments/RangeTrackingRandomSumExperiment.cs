using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's random-sum range program (x += values[i]). One row per (model, length); the gate is thresholds.json's range_tracking_random_sum entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "range_tracking_random_sum")]
public sealed class RangeTrackingRandomSumExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.RangeTrackingRandomSum.ByLength(nameof(RangeTrackingRandomSum));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void RangeTrackingRandomSum(string model, int seqLen) => suite.Check(ExperimentDefinitions.RangeTrackingRandomSum, model, seqLen, null, output);
}
