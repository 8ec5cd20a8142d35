using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>
/// The framework's <c>make_variable_increments</c>: <c>x = 0</c> then <c>x += v  # step i</c> with n draws
/// <c>randint(1, 5)</c> (1..4); answer their sum.
/// </summary>
public sealed class PythonVariableIncrementsGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "make_variable_increments";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long[] increments = [.. Enumerable.Range(0, seqLen).Select(_ => rng.RandInt(1, 5))];
        var lines = new List<string> { "x = 0" };
        lines.AddRange(increments.Select((v, i) => $"x += {Py(v)}  # step {i + 1}"));
        return new TaskCase(string.Join("\n", lines), Py(increments.Sum()), new PythonTaskMetadata("x", Name));
    }
}

/// <summary>
/// The framework's <c>make_arithmetic_sequence</c>: <c>start = randint(0, 5)</c>, <c>step = randint(1, 3)</c>,
/// <c>x = start</c> then n lines <c>x += step  # step i</c>; answer start + n·step.
/// </summary>
public sealed class PythonArithmeticSequenceGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "make_arithmetic_sequence";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long start = rng.RandInt(0, 5);
        long step = rng.RandInt(1, 3);
        var lines = new List<string> { $"x = {Py(start)}" };
        lines.AddRange(Enumerable.Range(1, seqLen).Select(i => $"x += {Py(step)}  # step {i}"));
        return new TaskCase(string.Join("\n", lines), Py(start + seqLen * step), new PythonTaskMetadata("x", Name));
    }
}

/// <summary>
/// The framework's <c>make_counter_program</c>: <c>count = 0\nfor i in range(n):\n    count += 1</c>; answer n.
/// It draws nothing, so every seed gives the same program.
/// </summary>
public sealed class PythonCounterGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "make_counter_program";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng) =>
        new($"count = 0\nfor i in range({seqLen}):\n    count += 1", Py(seqLen), new PythonTaskMetadata("count", Name));
}

/// <summary>
/// The framework's <c>make_fibonacci_program</c>: <c>a, b = 1, 1</c>, n lines <c>a, b = b, a + b  # step i</c>,
/// <c>result = a</c>; answer F(n + 1) with F(1) = F(2) = 1. It draws nothing.
/// </summary>
public sealed class PythonFibonacciGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "make_fibonacci_program";

    /// <summary>F(91) is the last Fibonacci number that fits a signed 64-bit integer.</summary>
    public override int MaxSeqLen => 90;

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long a = 1, b = 1;
        var lines = new List<string> { "a, b = 1, 1" };
        for (int i = 0; i < seqLen; i++)
        {
            (a, b) = (b, a + b);
            lines.Add($"a, b = b, a + b  # step {i + 1}");
        }
        lines.Add("result = a");
        return new TaskCase(string.Join("\n", lines), Py(a), new PythonTaskMetadata("result", Name));
    }
}
