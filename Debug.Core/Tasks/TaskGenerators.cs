using Debug.Core.Tasks.Generators;
using Debug.Core.Tasks.PythonCompat.Generators;

namespace Debug.Core.Tasks;

/// <summary>Lookup of the built-in task generators by their stable names.</summary>
public static class TaskGenerators
{
    /// <summary>One instance of every built-in generator (variable binding in reference mode and hops 1..4).</summary>
    public static IReadOnlyList<ITaskGenerator> All { get; } =
    [
        new RangeLoopGenerator(),
        new LineIncrementsGenerator(),
        new VariableIncrementsGenerator(),
        new ArithmeticSequenceGenerator(),
        new CounterGenerator(),
        new FibonacciGenerator(),
        new ExceptionHandlingGenerator(),
        new BooleanLogicGenerator(),
        new PlusMinusSequenceGenerator(),
        new CounterfactualPairGenerator(),
        new VariableBindingGenerator(),
        new VariableBindingGenerator(1),
        new VariableBindingGenerator(2),
        new VariableBindingGenerator(3),
        new VariableBindingGenerator(4),
    ];

    /// <summary>Returns the generator called <paramref name="name"/>.</summary>
    /// <param name="name">
    /// A name from <see cref="All"/>, e.g. <c>range_loop</c> or <c>variable_binding_hops2</c>, or a Python-framework
    /// generator of <see cref="PythonFrameworkGenerators"/>, e.g. <c>make_range_program</c>.
    /// </param>
    /// <exception cref="ArgumentException">No generator has that name.</exception>
    public static ITaskGenerator Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(g => g.Name == name)
            ?? (ITaskGenerator?)PythonFrameworkGenerators.Find(name)
            ?? throw new ArgumentException(
                $"Unknown task generator '{name}'. Known: {string.Join(", ", All.Select(g => g.Name).Concat(PythonFrameworkGenerators.All.Select(g => g.Name)))}.", nameof(name));
    }
}
