namespace Debug.Core.Prompts;

/// <summary>The built-in prompt templates, looked up by name.</summary>
/// <remarks>
/// Templates that end with the code let the model continue the program itself (variable binding ends with
/// <c>#q: </c>, so the next token is the answer); the others ask a question after the code and end with a cue the
/// answer parsers recognise.
/// </remarks>
public static class PromptTemplates
{
    /// <summary>Asks for a loop variable's final value.</summary>
    public static PromptTemplate RangeTracking { get; } = new("range_tracking",
        "Read the Python program and track how the loop changes {variable}.\n\n```python\n{code}```\n\nAfter the program finishes, the value of {variable} is:");

    /// <summary>Asks for a boolean variable's final value.</summary>
    public static PromptTemplate BooleanLogic { get; } = new("boolean_logic",
        "Evaluate the boolean operations in this Python program.\n\n```python\n{code}```\n\nAnswer True or False. At the end, {variable} is:");

    /// <summary>Asks the model to execute line by line before answering.</summary>
    public static PromptTemplate StepByStep { get; } = new("step_by_step",
        "Execute this Python program step by step, writing the value of each variable after every line.\n\n```python\n{code}```\n\nThen give the final value of {variable} as \"Answer: <value>\".");

    /// <summary>Invites free reasoning, then a marked answer.</summary>
    public static PromptTemplate ChainOfThought { get; } = new("chain_of_thought",
        "```python\n{code}```\n\nWhat is the final value of {variable}? Let's think step by step, then finish with \"The answer is: <value>\".");

    /// <summary>The bare program followed by a one-line question.</summary>
    public static PromptTemplate Minimal { get; } = new("minimal",
        "{code}\n# {variable} =");

    /// <summary>Frames the program as tracking the state of several entities.</summary>
    public static PromptTemplate EntityTracking { get; } = new("entity_tracking",
        "Each variable in this program is an entity whose state changes over time.\n\n```python\n{code}```\n\nThe final state of {variable} is:");

    /// <summary>The program alone: it already ends with <c>#q: </c>, so the model's next token is the answer.</summary>
    public static PromptTemplate VariableBinding { get; } = new("variable_binding",
        "{code}");

    /// <summary>Asks what a program with try/except blocks leaves in a variable.</summary>
    public static PromptTemplate ExceptionHandling { get; } = new("exception_handling",
        "Trace this Python program carefully; a ZeroDivisionError jumps straight to the except block.\n\n```python\n{code}```\n\nAfter the program runs, {variable} is:");

    /// <summary>Every built-in template.</summary>
    public static IReadOnlyList<PromptTemplate> All { get; } =
        [RangeTracking, BooleanLogic, StepByStep, ChainOfThought, Minimal, EntityTracking, VariableBinding, ExceptionHandling];

    /// <summary>Returns the built-in template called <paramref name="name"/>.</summary>
    /// <param name="name">
    /// A template name such as <c>chain_of_thought</c>, or a Python-framework constant name such as
    /// <c>RANGE_TRACKING</c> (<see cref="PythonPromptTemplates"/>).
    /// </param>
    /// <exception cref="ArgumentException">No template has that name.</exception>
    public static PromptTemplate Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(t => t.Name == name)
            ?? PythonPromptTemplates.Find(name)
            ?? throw new ArgumentException(
                $"Unknown prompt template '{name}'. Known: {string.Join(", ", All.Concat(PythonPromptTemplates.All).Select(t => t.Name))}.", nameof(name));
    }
}
