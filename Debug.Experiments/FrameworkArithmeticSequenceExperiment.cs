using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's make_arithmetic_sequence in its RANGE_TRACKING prompt. One row per (model, length); the gate is thresholds.json's framework_arithmetic_sequence entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "framework_arithmetic_sequence")]
public sealed class FrameworkArithmeticSequenceExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.FrameworkArithmeticSequence.ByLength(nameof(FrameworkArithmeticSequence));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void FrameworkArithmeticSequence(string model, int seqLen) => suite.Check(ExperimentDefinitions.FrameworkArithmeticSequence, model, seqLen, null, output);
}
