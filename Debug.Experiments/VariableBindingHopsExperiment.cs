using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>
/// Variable binding at an exact referential depth, with distractor chains so that copying the nearest digit is
/// wrong. One row per (model, length, hops); the gate is thresholds.json's variable_binding_hops entry (by_hops
/// entries can set a bar per depth).
/// </summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "variable_binding_hops")]
public sealed class VariableBindingHopsExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int, int>> Rows => ExperimentDefinitions.VariableBindingHops.ByHops(nameof(VariableBinding));

    /// <summary>Accuracy of one (model, length, hops) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void VariableBinding(string model, int seqLen, int hops) =>
        suite.Check(ExperimentDefinitions.VariableBindingHops, model, seqLen, hops, output);
}
