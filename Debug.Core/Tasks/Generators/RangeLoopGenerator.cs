using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about a <see cref="RangeLoopGenerator"/> program.</summary>
/// <param name="QueryVariable">Always <c>x</c>.</param>
/// <param name="Initial">Value assigned to x before the loop.</param>
/// <param name="Iterations">The argument of <c>range</c>.</param>
/// <param name="Step">The amount added each iteration.</param>
public sealed record RangeLoopMetadata(string QueryVariable, int Initial, int Iterations, int Step)
    : TaskMetadata(QueryVariable);

/// <summary>
/// <c>x = a</c> followed by <c>for i in range(n):\n    x += z</c>; the answer is <c>a + n*z</c>.
/// <c>seqLen</c> = n, the number of loop iterations.
/// </summary>
public sealed class RangeLoopGenerator : ITaskGenerator
{
    /// <inheritdoc />
    public string Name => "range_loop";

    /// <inheritdoc />
    public int MaxSeqLen => 100;

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        int initial = rng.NextInt(10);
        int step = rng.NextInt(1, 10);
        string program = $"x = {initial}\nfor i in range({seqLen}):\n    x += {step}\n";
        long expected = initial + (long)seqLen * step;
        return new TaskCase(program, Py(expected), new RangeLoopMetadata("x", initial, seqLen, step));
    }
}
