using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>Debug's boolean expressions: five shapes of and/or/not over x and y, querying either. One row per (model, length); the gate is thresholds.json's boolean_expressions entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "boolean_expressions")]
public sealed class BooleanExpressionsExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.BooleanExpressions.ByLength(nameof(BooleanExpressions));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void BooleanExpressions(string model, int seqLen) => suite.Check(ExperimentDefinitions.BooleanExpressions, model, seqLen, null, output);
}
