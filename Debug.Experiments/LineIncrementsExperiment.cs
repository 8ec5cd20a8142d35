using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>Line-by-line increments of one variable. One row per (model, length); the gate is thresholds.json's line_increments entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "line_increments")]
public sealed class LineIncrementsExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.LineIncrements.ByLength(nameof(LineIncrements));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void LineIncrements(string model, int seqLen) => suite.Check(ExperimentDefinitions.LineIncrements, model, seqLen, null, output);
}
