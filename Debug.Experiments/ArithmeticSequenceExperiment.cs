using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>Arithmetic sequences. One row per (model, length); the gate is thresholds.json's arithmetic_sequence entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "arithmetic_sequence")]
public sealed class ArithmeticSequenceExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.ArithmeticSequence.ByLength(nameof(ArithmeticSequence));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void ArithmeticSequence(string model, int seqLen) => suite.Check(ExperimentDefinitions.ArithmeticSequence, model, seqLen, null, output);
}
