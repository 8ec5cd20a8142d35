using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's variable_binding by program length (its generator, draw for draw). One row per (model, length); the gate is thresholds.json's variable_binding entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "variable_binding")]
public sealed class VariableBindingExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.VariableBinding.ByLength(nameof(VariableBinding));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void VariableBinding(string model, int seqLen) => suite.Check(ExperimentDefinitions.VariableBinding, model, seqLen, null, output);
}
