using Debug.Core.Experiments;
using Debug.Core.Prompts;
using Debug.Core.Tasks.PythonCompat.Generators;

namespace Debug.Core.Training;

/// <summary>
/// One task family the second embedded model (<c>tracker</c>) learns: the suite experiment's name, the Python
/// framework's generator and template it renders (so the model is trained on exactly the prompts it is tested on), the
/// lengths trained, and the family's share of each batch.
/// </summary>
/// <param name="Name">The suite experiment's name (thresholds.json key).</param>
/// <param name="Generator">The framework generator; case i of the suite is <c>RandomState(i)</c>.</param>
/// <param name="Template">The framework template the experiment renders.</param>
/// <param name="Lengths">Program lengths trained and evaluated (the issue's bar applies to all of them).</param>
/// <param name="Weight">Relative share of training programs.</param>
/// <param name="ReportedLengths">Further lengths of the suite's full grid, evaluated and reported with no bar (never trained).</param>
public sealed record TrainingFamily(string Name, IRandomStateTaskGenerator Generator, PromptTemplate Template, IReadOnlyList<int> Lengths, double Weight,
    IReadOnlyList<int>? ReportedLengths = null)
{
    /// <summary>Trained lengths, then the reported ones.</summary>
    public IEnumerable<int> EvaluatedLengths => Lengths.Concat(ReportedLengths ?? []);

    /// <summary>The suite's parser for this family's answers.</summary>
    public AnswerParser Parser => ExperimentConfig.DefaultParser(Generator);
}

/// <summary>The families <c>tracker</c> is trained on: every accuracy family of the framework except variable binding.</summary>
public static class TrackerFamilies
{
    private static readonly int[] TwoToEight = [2, 3, 4, 5, 6, 7, 8];
    private static readonly int[] TwoToSixteen = [.. Enumerable.Range(2, 15)];

    /// <summary>
    /// The mix: families with almost no distinct programs (counter and Fibonacci draw nothing; range programs have
    /// nine per length) get small shares, the ones with real variety (sums of random increments, exceptions,
    /// booleans) most of the compute, because that is where the model has something to learn.
    /// </summary>
    public static IReadOnlyList<TrainingFamily> All { get; } =
    [
        new("range_tracking_single", new PythonRangeProgramGenerator(), PythonPromptTemplates.RangeTracking, TwoToSixteen, 0.6),
        new("range_tracking_lines", new PythonRangeLinesGenerator(), PythonPromptTemplates.RangeTracking, TwoToSixteen, 0.6),
        new("framework_arithmetic_sequence", new PythonArithmeticSequenceGenerator(), PythonPromptTemplates.RangeTracking, TwoToEight, 0.6),
        new("framework_counter", new PythonCounterGenerator(), PythonPromptTemplates.RangeTracking, TwoToEight, 0.15),
        new("framework_fibonacci", new PythonFibonacciGenerator(), PythonPromptTemplates.RangeTracking, TwoToEight, 0.15),
        new("variable_increments", new PythonVariableIncrementsGenerator(), PythonPromptTemplates.RangeTracking, TwoToEight, 2.0,
            ReportedLengths: [.. Enumerable.Range(9, 8)]),
        new("range_tracking_random_sum", new PythonRandomSumRangeGenerator(), PythonPromptTemplates.RangeTracking, TwoToEight, 1.5),
        new("range_tracking_lines_random_sum", new PythonRandomSumLinesGenerator(), PythonPromptTemplates.RangeTracking, TwoToEight, 1.5),
        new("exception_handling", new PythonExceptionGenerator(), PythonPromptTemplates.ExceptionHandling, [1, 2, 3, 4], 2.5),
        new("boolean_logic", new PythonBooleanProgramGenerator(), PythonPromptTemplates.BooleanLogic, TwoToEight, 2.0),
    ];

    /// <summary>The family named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No family has that name.</exception>
    public static TrainingFamily Get(string name) => All.FirstOrDefault(f => f.Name == name)
        ?? throw new ArgumentException($"No tracker family '{name}'; known: {string.Join(", ", All.Select(f => f.Name))}.", nameof(name));
}
