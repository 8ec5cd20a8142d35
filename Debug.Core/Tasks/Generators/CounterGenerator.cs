using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about a <see cref="CounterGenerator"/> program.</summary>
/// <param name="QueryVariable">Always <c>count</c>.</param>
/// <param name="Iterations">The argument of <c>range</c>.</param>
/// <param name="Modulus">The loop counts indices with <c>i % Modulus == Remainder</c>.</param>
/// <param name="Remainder">See <paramref name="Modulus"/>.</param>
public sealed record CounterMetadata(string QueryVariable, int Iterations, int Modulus, int Remainder)
    : TaskMetadata(QueryVariable);

/// <summary>
/// A conditional counter: <c>count = 0; for i in range(n): if i % m == r: count += 1</c>.
/// Counting needs both loop tracking and evaluating a comparison per iteration.
/// <c>seqLen</c> = n, the number of loop iterations.
/// </summary>
public sealed class CounterGenerator : ITaskGenerator
{
    /// <inheritdoc />
    public string Name => "counter";

    /// <inheritdoc />
    public int MaxSeqLen => 100;

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        int modulus = rng.NextInt(2, 5);
        int remainder = rng.NextInt(modulus);
        string program =
            $"count = 0\nfor i in range({seqLen}):\n    if i % {modulus} == {remainder}:\n        count += 1\n";
        // Closed form of #{ i in [0, n) : i mod m == r }, kept separate from any loop-based evaluation.
        long expected = seqLen > remainder ? (seqLen - 1 - remainder) / modulus + 1 : 0;
        return new TaskCase(program, Py(expected), new CounterMetadata("count", seqLen, modulus, remainder));
    }
}
