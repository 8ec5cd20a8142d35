using Debug.Core.Prompts;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tasks.PythonCompat.Generators;
using Debug.Core.Training;

namespace Debug.Experiments.Infrastructure;

/// <summary>
/// The suite's experiments, one per task family (binding twice: by length and by exact hops). The families of the
/// Python framework (loftusa/debug) carry its experiment names, generators (draw for draw, case i = RandomState(i))
/// and prompt templates (byte for byte); Debug's own variants carry names that say what they are. Lengths are a CI
/// subset of the framework's grid; <c>DEBUG_LENGTHS=full</c> runs the grid (<see cref="ExperimentDefinition.FullSeqLens"/>).
/// </summary>
public static class ExperimentDefinitions
{
    private static readonly int[] TwoToSixteen = [.. Enumerable.Range(2, 15)];

    /// <summary>A loop adding a step to x; asks for x after the loop.</summary>
    public static ExperimentDefinition RangeTracking { get; } = new("range_tracking", PromptTemplates.RangeTracking, new RangeLoopGenerator(), [2, 5]);

    /// <summary><c>x += k</c> line after line.</summary>
    public static ExperimentDefinition LineIncrements { get; } = new("line_increments", PromptTemplates.Minimal, new LineIncrementsGenerator(), [2, 5]);

    /// <summary>The framework's <c>variable_increments</c>: <c>x += v  # step i</c> with v in 1..4 (make_variable_increments, RANGE_TRACKING).</summary>
    public static ExperimentDefinition VariableIncrements { get; } = new("variable_increments", PythonPromptTemplates.RangeTracking,
        new PythonVariableIncrementsGenerator(), [2, 8], FullSeqLens: TwoToSixteen);

    /// <summary>Debug's multi-entity variant: several variables with their own start values incremented in turn.</summary>
    public static ExperimentDefinition MultiEntityIncrements { get; } = new("multi_entity_increments", PromptTemplates.EntityTracking, new VariableIncrementsGenerator(), [2, 5]);

    /// <summary>The framework's <c>range_tracking_single</c>: <c>x = 0</c> and a for-range loop adding one z (make_range_program, RANGE_TRACKING).</summary>
    public static ExperimentDefinition RangeTrackingSingle { get; } = new("range_tracking_single", PythonPromptTemplates.RangeTracking,
        new PythonRangeProgramGenerator(), [2, 16], FullSeqLens: TwoToSixteen);

    /// <summary>The framework's <c>range_tracking_lines</c>: <c>x = 0</c> and n lines <c>x += z</c> (make_range_program_lines, RANGE_TRACKING).</summary>
    public static ExperimentDefinition RangeTrackingLines { get; } = new("range_tracking_lines", PythonPromptTemplates.RangeTracking,
        new PythonRangeLinesGenerator(), [2, 16], FullSeqLens: TwoToSixteen);

    /// <summary>
    /// The framework's <c>entity_tracking</c> (<c>_02_entity_tracking_simple.py</c>): <c>x += k</c> / <c>x -= k</c> lines
    /// (make_sequence, RANGE_TRACKING), scored on the final x where the framework compared with the list of intermediates.
    /// </summary>
    public static ExperimentDefinition EntityTracking { get; } = new("entity_tracking", PythonPromptTemplates.RangeTracking,
        new PythonSequenceGenerator(), [2, 10], FullSeqLens: [.. Enumerable.Range(2, 9)]);

    /// <summary>The framework's <c>multiplication_table</c> example of <c>_06_code_tracking.py</c> (CHAIN_OF_THOUGHT).</summary>
    public static ExperimentDefinition MultiplicationTable { get; } = new("multiplication_table", PythonPromptTemplates.ChainOfThought,
        new PythonMultiplicationTableGenerator(), [2, 3]);

    /// <summary>An arithmetic sequence built in a loop.</summary>
    public static ExperimentDefinition ArithmeticSequence { get; } = new("arithmetic_sequence", PromptTemplates.Minimal, new ArithmeticSequenceGenerator(), [2, 5]);

    /// <summary>A counter incremented under a condition.</summary>
    public static ExperimentDefinition Counter { get; } = new("counter", PromptTemplates.Minimal, new CounterGenerator(), [2, 5]);

    /// <summary>Fibonacci by iteration; values grow fast, so a larger token budget.</summary>
    public static ExperimentDefinition Fibonacci { get; } = new("fibonacci", PromptTemplates.Minimal, new FibonacciGenerator(), [3, 6], MaxNewTokens: 16);

    /// <summary>The framework's <c>exception_handling</c>: <c>result += n // d</c> blocks, some dividing by zero (make_exception_program, EXCEPTION_HANDLING).</summary>
    public static ExperimentDefinition ExceptionHandling { get; } = new("exception_handling", PythonPromptTemplates.ExceptionHandling,
        new PythonExceptionGenerator(), [1, 2]);

    /// <summary>Debug's variant: one x divided in a chain of guarded divisions, the fallback replacing x.</summary>
    public static ExperimentDefinition ChainedDivisionExceptions { get; } = new("chained_division_exceptions", PromptTemplates.ExceptionHandling, new ExceptionHandlingGenerator(), [1, 3]);

    /// <summary>The framework's <c>boolean_logic</c> (<c>_04_boolean_simple.py</c>): x and y, then and/or/not updates of x (BOOLEAN_LOGIC).</summary>
    public static ExperimentDefinition BooleanLogic { get; } = new("boolean_logic", PythonPromptTemplates.BooleanLogic,
        new PythonBooleanProgramGenerator(), [2, 8], FullSeqLens: [.. Enumerable.Range(2, 7)]);

    /// <summary>Debug's variant: five expression shapes over two booleans, querying x or y.</summary>
    public static ExperimentDefinition BooleanExpressions { get; } = new("boolean_expressions", PromptTemplates.BooleanLogic, new BooleanLogicGenerator(), [2, 5]);

    /// <summary>
    /// The framework's <c>variable_binding</c>: make_variable_binding_program, by program length (the embedded model's
    /// lengths are 2..17; the framework's grid is 1..17). Its template is the program alone, as Debug's is.
    /// </summary>
    public static ExperimentDefinition VariableBinding { get; } =
        new("variable_binding", PythonPromptTemplates.VariableBinding, new PythonVariableBindingGenerator(), [2, 5, 10, 17], MaxNewTokens: 4,
            FullSeqLens: [.. Enumerable.Range(1, 17)]);

    /// <summary>Variable binding at exact referential depths 1..4, ten lines each.</summary>
    public static ExperimentDefinition VariableBindingHops { get; } =
        new("variable_binding_hops", PromptTemplates.VariableBinding, new VariableBindingGenerator(), [10], Hops: [1, 2, 3, 4], MaxNewTokens: 4);

    /// <summary>The framework's <c>make_arithmetic_sequence</c> (start and step drawn, <c>x += step  # step i</c>) in RANGE_TRACKING, as <c>tracker</c> learned it.</summary>
    public static ExperimentDefinition FrameworkArithmeticSequence { get; } = FromTrackerFamily("framework_arithmetic_sequence", [2, 8]);

    /// <summary>The framework's <c>make_counter_program</c> (one program per length: count in a loop) in RANGE_TRACKING.</summary>
    public static ExperimentDefinition FrameworkCounter { get; } = FromTrackerFamily("framework_counter", [2, 8]);

    /// <summary>The framework's <c>make_fibonacci_program</c> (one program per length) in RANGE_TRACKING.</summary>
    public static ExperimentDefinition FrameworkFibonacci { get; } = FromTrackerFamily("framework_fibonacci", [2, 8]);

    /// <summary>The framework's <c>_05_range_tracking.make_range_program</c> with <c>random_sum</c>: <c>x += values[i]</c> over a drawn list.</summary>
    public static ExperimentDefinition RangeTrackingRandomSum { get; } = FromTrackerFamily("range_tracking_random_sum", [2, 8]);

    /// <summary>The framework's <c>_05_range_tracking.make_range_program_newlines</c> with <c>random_sum</c>: one drawn <c>x += v</c> per line.</summary>
    public static ExperimentDefinition RangeTrackingLinesRandomSum { get; } = FromTrackerFamily("range_tracking_lines_random_sum", [2, 8]);

    /// <summary>Every experiment of the suite.</summary>
    public static IReadOnlyList<ExperimentDefinition> All { get; } =
        [RangeTracking, LineIncrements, VariableIncrements, ArithmeticSequence, Counter, Fibonacci, ExceptionHandling, BooleanLogic, VariableBinding, VariableBindingHops,
         RangeTrackingSingle, RangeTrackingLines, EntityTracking, MultiplicationTable, MultiEntityIncrements, ChainedDivisionExceptions, BooleanExpressions,
         FrameworkArithmeticSequence, FrameworkCounter, FrameworkFibonacci, RangeTrackingRandomSum, RangeTrackingLinesRandomSum];

    /// <summary>An experiment over a family of <see cref="TrackerFamilies"/>: its generator and template, its lengths as the full grid.</summary>
    private static ExperimentDefinition FromTrackerFamily(string name, IReadOnlyList<int> ciLengths)
    {
        var family = TrackerFamilies.Get(name);
        return new(name, family.Template, family.Generator, ciLengths, FullSeqLens: family.Lengths);
    }
}
