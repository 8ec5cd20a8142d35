using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's boolean_logic: x updated with and/or/not of y. One row per (model, length); the gate is thresholds.json's boolean_logic entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "boolean_logic")]
public sealed class BooleanLogicExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.BooleanLogic.ByLength(nameof(BooleanLogic));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void BooleanLogic(string model, int seqLen) => suite.Check(ExperimentDefinitions.BooleanLogic, model, seqLen, null, output);
}
