using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>Debug's multi-entity increments: several variables with their own start values, incremented in turn. One row per (model, length); the gate is thresholds.json's multi_entity_increments entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "multi_entity_increments")]
public sealed class MultiEntityIncrementsExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.MultiEntityIncrements.ByLength(nameof(MultiEntityIncrements));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void MultiEntityIncrements(string model, int seqLen) => suite.Check(ExperimentDefinitions.MultiEntityIncrements, model, seqLen, null, output);
}
