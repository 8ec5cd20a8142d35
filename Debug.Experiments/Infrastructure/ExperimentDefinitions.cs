using Debug.Core.Prompts;
using Debug.Core.Tasks.Generators;

namespace Debug.Experiments.Infrastructure;

/// <summary>The suite's experiments, one per task family (binding twice: by length and by exact hops).</summary>
public static class ExperimentDefinitions
{
    /// <summary>A loop adding a step to x; asks for x after the loop.</summary>
    public static ExperimentDefinition RangeTracking { get; } = new("range_tracking", PromptTemplates.RangeTracking, new RangeLoopGenerator(), [2, 5]);

    /// <summary><c>x += k</c> line after line.</summary>
    public static ExperimentDefinition LineIncrements { get; } = new("line_increments", PromptTemplates.Minimal, new LineIncrementsGenerator(), [2, 5]);

    /// <summary>Several variables incremented in turn.</summary>
    public static ExperimentDefinition VariableIncrements { get; } = new("variable_increments", PromptTemplates.EntityTracking, new VariableIncrementsGenerator(), [2, 5]);

    /// <summary>An arithmetic sequence built in a loop.</summary>
    public static ExperimentDefinition ArithmeticSequence { get; } = new("arithmetic_sequence", PromptTemplates.Minimal, new ArithmeticSequenceGenerator(), [2, 5]);

    /// <summary>A counter incremented under a condition.</summary>
    public static ExperimentDefinition Counter { get; } = new("counter", PromptTemplates.Minimal, new CounterGenerator(), [2, 5]);

    /// <summary>Fibonacci by iteration; values grow fast, so a larger token budget.</summary>
    public static ExperimentDefinition Fibonacci { get; } = new("fibonacci", PromptTemplates.Minimal, new FibonacciGenerator(), [3, 6], MaxNewTokens: 16);

    /// <summary>Guarded divisions, some by zero.</summary>
    public static ExperimentDefinition ExceptionHandling { get; } = new("exception_handling", PromptTemplates.ExceptionHandling, new ExceptionHandlingGenerator(), [1, 3]);

    /// <summary>and/or/not updates of two booleans.</summary>
    public static ExperimentDefinition BooleanLogic { get; } = new("boolean_logic", PromptTemplates.BooleanLogic, new BooleanLogicGenerator(), [2, 5]);

    /// <summary>Variable binding, reference distribution, by program length (the embedded model's lengths are 2..17).</summary>
    public static ExperimentDefinition VariableBinding { get; } =
        new("variable_binding", PromptTemplates.VariableBinding, new VariableBindingGenerator(), [2, 5, 10, 17], MaxNewTokens: 4);

    /// <summary>Variable binding at exact referential depths 1..4, ten lines each.</summary>
    public static ExperimentDefinition VariableBindingHops { get; } =
        new("variable_binding_hops", PromptTemplates.VariableBinding, new VariableBindingGenerator(), [10], Hops: [1, 2, 3, 4], MaxNewTokens: 4);

    /// <summary>Every experiment of the suite.</summary>
    public static IReadOnlyList<ExperimentDefinition> All { get; } =
        [RangeTracking, LineIncrements, VariableIncrements, ArithmeticSequence, Counter, Fibonacci, ExceptionHandling, BooleanLogic, VariableBinding, VariableBindingHops];
}
