using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's entity_tracking: x += k / x -= k lines from x = 0 (make_sequence). One row per (model, length); the gate is thresholds.json's entity_tracking entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "entity_tracking")]
public sealed class EntityTrackingExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.EntityTracking.ByLength(nameof(EntityTracking));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void EntityTracking(string model, int seqLen) => suite.Check(ExperimentDefinitions.EntityTracking, model, seqLen, null, output);
}
