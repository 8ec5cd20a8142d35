using Debug.Experiments.Infrastructure;
using Xunit;

namespace Debug.Experiments;

/// <summary>Debug's chained guarded divisions of one x, the fallback replacing it. One row per (model, length); the gate is thresholds.json's chained_division_exceptions entry.</summary>
[Collection(ExperimentCollection.Name)]
[Trait("Category", "Accuracy")]
[Trait("Task", "chained_division_exceptions")]
public sealed class ChainedDivisionExceptionsExperiment(ExperimentSuite suite, ITestOutputHelper output)
{
    /// <summary>Rows for the selected models.</summary>
    public static IEnumerable<TheoryDataRow<string, int>> Rows => ExperimentDefinitions.ChainedDivisionExceptions.ByLength(nameof(ChainedDivisionExceptions));

    /// <summary>Accuracy of one (model, length) group, gated on the Wilson lower bound.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void ChainedDivisionExceptions(string model, int seqLen) => suite.Check(ExperimentDefinitions.ChainedDivisionExceptions, model, seqLen, null, output);
}
