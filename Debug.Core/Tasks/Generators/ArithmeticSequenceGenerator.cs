using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about an <see cref="ArithmeticSequenceGenerator"/> program.</summary>
/// <param name="QueryVariable">Always <c>x</c>.</param>
/// <param name="First">The first term <c>a</c>.</param>
/// <param name="Difference">The common difference <c>d</c> (may be negative).</param>
/// <param name="Terms">Number of terms computed (the loop's range).</param>
public sealed record ArithmeticSequenceMetadata(string QueryVariable, int First, int Difference, int Terms)
    : TaskMetadata(QueryVariable);

/// <summary>
/// Computes terms of an arithmetic sequence in a loop: <c>a = ..; d = ..; for i in range(n): x = a + i * d</c>.
/// The answer is the last term, <c>a + (n - 1) * d</c>; the model must notice the loop overwrites x.
/// <c>seqLen</c> = n, the number of terms (loop iterations).
/// </summary>
public sealed class ArithmeticSequenceGenerator : ITaskGenerator
{
    /// <inheritdoc />
    public string Name => "arithmetic_sequence";

    /// <inheritdoc />
    public int MaxSeqLen => 100;

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        int first = rng.NextInt(10);
        int difference = rng.NextInt(-5, 10);
        if (difference == 0)
        {
            difference = 1; // a zero difference would make the loop irrelevant
        }
        string program = $"a = {first}\nd = {difference}\nfor i in range({seqLen}):\n    x = a + i * d\n";
        long expected = first + (long)(seqLen - 1) * difference;
        return new TaskCase(program, Py(expected), new ArithmeticSequenceMetadata("x", first, difference, seqLen));
    }
}
