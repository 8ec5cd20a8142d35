using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's make_fibonacci_program in its RANGE_TRACKING prompt. One row per (model, length); the gate is thresholds.json's framework_fibonacci entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "framework_fibonacci")]
public sealed class FrameworkFibonacciExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.FrameworkFibonacci.ByLength(nameof(FrameworkFibonacci));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void FrameworkFibonacci(string model, int seqLen) => suite.Check(ExperimentDefinitions.FrameworkFibonacci, model, seqLen, null, output);
}
