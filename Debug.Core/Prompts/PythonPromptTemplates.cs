namespace Debug.Core.Prompts;

/// <summary>
/// The Python framework's prompt templates (<c>src/debug/prompts.py</c> of loftusa/debug at 20347db), byte for byte,
/// under its constant names (<c>RANGE_TRACKING</c>, ...). It fills them with <c>template.format(code=program)</c>;
/// none contains another brace, so <see cref="PromptTemplate.Render"/>'s literal substitution gives the same text.
/// Debug's own templates (<see cref="PromptTemplates"/>, lower-case names, with a <c>{variable}</c> placeholder)
/// are separate.
/// </summary>
public static class PythonPromptTemplates
{
    /// <summary>The final value of <c>result</c> after try/except blocks.</summary>
    public static PromptTemplate ExceptionHandling { get; } = new("EXCEPTION_HANDLING",
        "You are given a short Python program with exception handling. Your task is to determine the final value of the variable 'result'.\nAt each step, the program may or may not raise a ZeroDivisionError. Follow the execution path carefully.\nReturn only the final value, without any additional text. The answer should appear immediately after the word 'is: '.\n\n```python\n{code}\n```\n\nThe final value of `result` is: ");

    /// <summary>The final value of x; the answer follows <c>is: </c>.</summary>
    public static PromptTemplate RangeTracking { get; } = new("RANGE_TRACKING",
        "You are given a short Python program. Your task is to compute the final value of the variable x.\nReturn only the integer, without commas, an equal sign, or any additional text. The integer should appear immediately after the word 'is: '.\n\n```python\n{code}\n```\n\nThe final value of x is: ");

    /// <summary>The final boolean value.</summary>
    public static PromptTemplate BooleanLogic { get; } = new("BOOLEAN_LOGIC",
        "You are given a short Python program with boolean operations. Your task is to determine the final boolean value.\nReturn only 'True' or 'False', without any additional text. The answer should appear immediately after the word 'is: '.\n\n```python\n{code}\n```\n\nThe final boolean value is: ");

    /// <summary>A numbered tracing preamble, then the final value of x.</summary>
    public static PromptTemplate StepByStep { get; } = new("STEP_BY_STEP",
        "You are given a short Python program. Let's trace through it step by step, then give the final answer.\n\n```python\n{code}\n```\n\nLet me trace through this:\n1. First, I'll identify the initial state\n2. Then I'll follow each operation\n3. Finally, I'll give the result\n\nThe final value of x is: ");

    /// <summary>Think step by step, then the final value of x.</summary>
    public static PromptTemplate ChainOfThought { get; } = new("CHAIN_OF_THOUGHT",
        "You are given a short Python program. Think step by step about what this code does.\n\n```python\n{code}\n```\n\nLet me work through this step by step:\n\nThe final value of x is: ");

    /// <summary>The program and <c>Answer: </c>.</summary>
    public static PromptTemplate Minimal { get; } = new("MINIMAL",
        "Compute the final value of x:\n\n```python\n{code}\n```\n\nAnswer: ");

    /// <summary>The final state (the framework's entity-tracking prompt).</summary>
    public static PromptTemplate EntityTracking { get; } = new("ENTITY_TRACKING",
        "You are given a short Python program. Your task is to determine the final state.\nReturn only the requested value, without any additional text. The answer should appear immediately after the word 'is: '.\n\n```python\n{code}\n```\n\nThe final result is: ");

    /// <summary>The program alone (it ends with <c>#q: </c>).</summary>
    public static PromptTemplate VariableBinding { get; } = new("VARIABLE_BINDING",
        "{code}");

    /// <summary>Every template of the framework, in the order of its prompts.py.</summary>
    public static IReadOnlyList<PromptTemplate> All { get; } =
        [ExceptionHandling, RangeTracking, BooleanLogic, StepByStep, ChainOfThought, Minimal, EntityTracking, VariableBinding];

    /// <summary>The framework template with constant name <paramref name="name"/> (e.g. <c>RANGE_TRACKING</c>), or null.</summary>
    /// <param name="name">A constant name of the framework's prompts.py.</param>
    public static PromptTemplate? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
