using System.Reflection;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;

namespace Debug.Experiments;

/// <summary>
/// The traits of every test in this assembly, pinned, so the filters the README shows keep selecting what it says:
/// <c>Task=&lt;family&gt;</c> an accuracy family's rows only, <c>Category=Tracing</c> the tracing rows, one theory
/// by <c>Tracing=&lt;kind&gt;</c>. (The <c>Model</c> trait is added per row from its model argument.)
/// </summary>
[Trait("Category", "Consistency")]
public sealed class TraitTests
{
    // Class.Method -> the traits its rows carry (class and method traits together), sorted by name.
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["RangeTrackingExperiment.RangeTracking"] = "Category=Accuracy; Task=range_tracking",
        ["LineIncrementsExperiment.LineIncrements"] = "Category=Accuracy; Task=line_increments",
        ["VariableIncrementsExperiment.VariableIncrements"] = "Category=Accuracy; Task=variable_increments",
        ["ArithmeticSequenceExperiment.ArithmeticSequence"] = "Category=Accuracy; Task=arithmetic_sequence",
        ["CounterExperiment.Counter"] = "Category=Accuracy; Task=counter",
        ["FibonacciExperiment.Fibonacci"] = "Category=Accuracy; Task=fibonacci",
        ["ExceptionHandlingExperiment.ExceptionHandling"] = "Category=Accuracy; Task=exception_handling",
        ["BooleanLogicExperiment.BooleanLogic"] = "Category=Accuracy; Task=boolean_logic",
        ["VariableBindingExperiment.VariableBinding"] = "Category=Accuracy; Task=variable_binding",
        ["VariableBindingHopsExperiment.VariableBinding"] = "Category=Accuracy; Task=variable_binding_hops",
        ["BooleanExpressionsExperiment.BooleanExpressions"] = "Category=Accuracy; Task=boolean_expressions",
        ["ChainedDivisionExceptionsExperiment.ChainedDivisionExceptions"] = "Category=Accuracy; Task=chained_division_exceptions",
        ["EntityTrackingExperiment.EntityTracking"] = "Category=Accuracy; Task=entity_tracking",
        ["MultiEntityIncrementsExperiment.MultiEntityIncrements"] = "Category=Accuracy; Task=multi_entity_increments",
        ["MultiplicationTableExperiment.MultiplicationTable"] = "Category=Accuracy; Task=multiplication_table",
        ["RangeTrackingLinesExperiment.RangeTrackingLines"] = "Category=Accuracy; Task=range_tracking_lines",
        ["RangeTrackingSingleExperiment.RangeTrackingSingle"] = "Category=Accuracy; Task=range_tracking_single",
        ["FrameworkArithmeticSequenceExperiment.FrameworkArithmeticSequence"] = "Category=Accuracy; Task=framework_arithmetic_sequence",
        ["FrameworkCounterExperiment.FrameworkCounter"] = "Category=Accuracy; Task=framework_counter",
        ["FrameworkFibonacciExperiment.FrameworkFibonacci"] = "Category=Accuracy; Task=framework_fibonacci",
        ["RangeTrackingRandomSumExperiment.RangeTrackingRandomSum"] = "Category=Accuracy; Task=range_tracking_random_sum",
        ["RangeTrackingLinesRandomSumExperiment.RangeTrackingLinesRandomSum"] = "Category=Accuracy; Task=range_tracking_lines_random_sum",
        ["TracingExperiment.ResidualPatching"] = "Category=Tracing; Task=variable_binding_tracing; Tracing=residual",
        ["TracingExperiment.MlpPatching"] = "Category=Tracing; Task=variable_binding_tracing; Tracing=mlp",
        ["TracingExperiment.HeadPatching"] = "Category=Tracing; Task=variable_binding_tracing; Tracing=heads",
        ["TracingExperiment.AttentionKnockout"] = "Category=Tracing; Task=variable_binding_tracing; Tracing=knockout",
        ["TracingExperiment.RobustSeeds"] = "Category=Tracing; Task=variable_binding_tracing; Tracing=seeds",
    };

    [Fact(DisplayName = "Every experiment carries exactly the traits the README's filters rely on")]
    public void ExperimentTraitsArePinned()
    {
        var experiments = Tests().Where(t => t.Traits.Contains("Category=Accuracy") || t.Traits.Contains("Category=Tracing"))
            .ToDictionary(t => t.Name, t => t.Traits);
        experiments.Should().BeEquivalentTo(Expected);
    }

    [Fact(DisplayName = "Each accuracy family's Task trait is its experiment name, and no tracing row shares it")]
    public void TaskTraitsSelectOneKind()
    {
        var tests = Tests().ToList();
        var accuracyTasks = tests.Where(t => t.Traits.Contains("Category=Accuracy")).Select(t => Value(t.Traits, "Task")).ToList();
        accuracyTasks.Should().BeEquivalentTo(ExperimentDefinitions.All.Select(d => d.Name), "one accuracy theory per experiment, named after it");
        var tracingTasks = tests.Where(t => t.Traits.Contains("Category=Tracing")).Select(t => Value(t.Traits, "Task")).Distinct();
        tracingTasks.Should().Equal(TracingTraits.Task);
        accuracyTasks.Should().NotContain(TracingTraits.Task);
    }

    [Fact(DisplayName = "Every test of the assembly has a Category trait")]
    public void EveryTestHasACategory() =>
        Tests().Should().OnlyContain(t => t.Traits.StartsWith("Category=", StringComparison.Ordinal), "filters by Category must cover the whole assembly");

    private static string Value(string traits, string name) =>
        traits.Split("; ").Single(t => t.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    // Every test method (Fact, Theory and ExperimentTheory derive from FactAttribute) with its traits, read from the
    // Trait attributes' constructor arguments as xUnit's trait discoverer reads them.
    private static IEnumerable<(string Name, string Traits)> Tests() =>
        from type in typeof(TraitTests).Assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        where method.GetCustomAttributes<FactAttribute>(inherit: true).Any()
        let traits = TraitsOf(type).Concat(TraitsOf(method)).Order(StringComparer.Ordinal)
        select ($"{type.Name}.{method.Name}", string.Join("; ", traits));

    private static IEnumerable<string> TraitsOf(MemberInfo member) =>
        member.CustomAttributes.Where(a => a.AttributeType == typeof(TraitAttribute))
            .Select(a => $"{a.ConstructorArguments[0].Value}={a.ConstructorArguments[1].Value}");
}
