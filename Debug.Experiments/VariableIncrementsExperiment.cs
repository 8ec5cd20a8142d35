using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's variable_increments: x += v  # step i lines from x = 0. One row per (model, length); the gate is thresholds.json's variable_increments entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "variable_increments")]
public sealed class VariableIncrementsExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.VariableIncrements.ByLength(nameof(VariableIncrements));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void VariableIncrements(string model, int seqLen) => suite.Check(ExperimentDefinitions.VariableIncrements, model, seqLen, null, output);
}
