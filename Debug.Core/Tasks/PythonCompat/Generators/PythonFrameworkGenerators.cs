namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>
/// The Python framework's program generators under their own function names (<c>make_range_program</c>, or
/// <c>script.function</c> for those defined in an experiment script), as the seed goldens name them.
/// </summary>
public static class PythonFrameworkGenerators
{
    /// <summary>One instance of each single-program generator.</summary>
    public static IReadOnlyList<IRandomStateTaskGenerator> All { get; } =
    [
        new PythonVariableBindingGenerator(),
        new PythonExceptionGenerator(),
        new PythonRangeProgramGenerator(),
        new PythonRangeLinesGenerator(),
        new PythonVariableIncrementsGenerator(),
        new PythonArithmeticSequenceGenerator(),
        new PythonCounterGenerator(),
        new PythonFibonacciGenerator(),
        new PythonSequenceGenerator(),
        new PythonBooleanProgramGenerator(),
        new PythonRandomSumRangeGenerator(),
        new PythonRandomSumLinesGenerator(),
        new PythonMultiplicationTableGenerator(),
    ];

    /// <summary>The generator with the framework name <paramref name="name"/>, or null.</summary>
    /// <param name="name">E.g. <c>make_exception_program</c> or <c>_04_boolean_simple.make_boolean_program</c>.</param>
    public static IRandomStateTaskGenerator? Find(string name) => All.FirstOrDefault(g => g.Name == name);
}
