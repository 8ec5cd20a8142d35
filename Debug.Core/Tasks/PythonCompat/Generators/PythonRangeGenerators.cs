using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>
/// The framework's <c>make_range_program</c>: <c>x = 0\nfor i in range(n):\n    x += z</c> with one
/// <c>z = randint(1, 10)</c>; answer n·z.
/// </summary>
public sealed class PythonRangeProgramGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "make_range_program";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long z = rng.RandInt(1, 10);
        return new TaskCase($"x = 0\nfor i in range({seqLen}):\n    x += {Py(z)}", Py(seqLen * z), new PythonTaskMetadata("x", Name));
    }
}

/// <summary>
/// The framework's <c>make_range_program_lines</c>: <c>x = 0</c> then n lines <c>x += z</c>, one
/// <c>z = randint(1, 10)</c> for all of them; answer n·z. <c>_05_range_tracking.make_range_program_newlines</c>
/// without <c>random_sum</c> is the same program and draw.
/// </summary>
public sealed class PythonRangeLinesGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "make_range_program_lines";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long z = rng.RandInt(1, 10);
        var lines = new List<string> { "x = 0" };
        lines.AddRange(Enumerable.Repeat($"x += {Py(z)}", seqLen));
        return new TaskCase(string.Join("\n", lines), Py(seqLen * z), new PythonTaskMetadata("x", Name));
    }
}

/// <summary>
/// <c>_05_range_tracking.make_range_program(random_sum=True)</c>: n values <c>randint(1, 10)</c> printed as a
/// Python list, <c>values = [3, 5, 1]\nx = 0\nfor i in range(n):\n    x += values[i]</c>; answer their sum.
/// </summary>
public sealed class PythonRandomSumRangeGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "_05_range_tracking.make_range_program";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long[] values = rng.RandInt(1, 10, seqLen);
        string list = "[" + string.Join(", ", values.Select(Py)) + "]";
        string program = $"values = {list}\nx = 0\nfor i in range({seqLen}):\n    x += values[i]";
        return new TaskCase(program, Py(values.Sum()), new PythonTaskMetadata("x", Name));
    }
}

/// <summary>
/// <c>_05_range_tracking.make_range_program_newlines(random_sum=True)</c>: <c>x = 0</c> then n lines
/// <c>x += v</c>, each v its own <c>randint(1, 10)</c>; answer their sum.
/// </summary>
public sealed class PythonRandomSumLinesGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "_05_range_tracking.make_range_program_newlines";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long[] values = rng.RandInt(1, 10, seqLen);
        var lines = new List<string> { "x = 0" };
        lines.AddRange(values.Select(v => $"x += {Py(v)}"));
        return new TaskCase(string.Join("\n", lines), Py(values.Sum()), new PythonTaskMetadata("x", Name));
    }
}

/// <summary>
/// The multiplication-table example of <c>experiments/_06_code_tracking.py</c> (<c>my_custom_generator</c>,
/// run there as <c>multiplication_table</c>): <c>base = randint(2, 5)</c>,
/// <c>x = 0\nfor i in range(1, n + 1):\n    x += base * i</c>; answer base·n(n+1)/2.
/// </summary>
public sealed class PythonMultiplicationTableGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "_06_code_tracking.my_custom_generator";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long b = rng.RandInt(2, 5);
        string program = $"x = 0\nfor i in range(1, {seqLen + 1}):\n    x += {Py(b)} * i";
        return new TaskCase(program, Py(b * seqLen * (seqLen + 1) / 2), new PythonTaskMetadata("x", Name));
    }
}
