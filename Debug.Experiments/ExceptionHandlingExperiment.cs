using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>The Python framework's exception_handling: result += n // d in try blocks, some dividing by zero. One row per (model, length); the gate is thresholds.json's exception_handling entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "exception_handling")]
public sealed class ExceptionHandlingExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.ExceptionHandling.ByLength(nameof(ExceptionHandling));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void ExceptionHandling(string model, int seqLen) => suite.Check(ExperimentDefinitions.ExceptionHandling, model, seqLen, null, output);
}
