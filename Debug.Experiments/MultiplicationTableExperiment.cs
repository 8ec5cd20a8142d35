using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's multiplication_table: x += base * i over a range, with its chain-of-thought prompt. One row per (model, length); the gate is thresholds.json's multiplication_table entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "multiplication_table")]
public sealed class MultiplicationTableExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.MultiplicationTable.ByLength(nameof(MultiplicationTable));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void MultiplicationTable(string model, int seqLen) => suite.Check(ExperimentDefinitions.MultiplicationTable, model, seqLen, null, output);
}
