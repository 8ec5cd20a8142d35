using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>Iterative Fibonacci. One row per (model, length); the gate is thresholds.json's fibonacci entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "fibonacci")]
public sealed class FibonacciExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.Fibonacci.ByLength(nameof(Fibonacci));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void Fibonacci(string model, int seqLen) => suite.Check(ExperimentDefinitions.Fibonacci, model, seqLen, null, output);
}
