using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about a <see cref="FibonacciGenerator"/> program.</summary>
/// <param name="QueryVariable"><c>a</c> or <c>b</c>.</param>
/// <param name="InitialA">Starting value of a.</param>
/// <param name="InitialB">Starting value of b.</param>
/// <param name="Iterations">The argument of <c>range</c>.</param>
public sealed record FibonacciMetadata(string QueryVariable, int InitialA, int InitialB, int Iterations)
    : TaskMetadata(QueryVariable);

/// <summary>
/// Fibonacci-style tuple updates: <c>a, b = p, q</c> then <c>for i in range(n):\n    a, b = b, a + b</c>.
/// Tests simultaneous assignment (the right side is evaluated before either name is rebound).
/// <c>seqLen</c> = n, the number of loop iterations (capped so every value fits in a 64-bit integer).
/// </summary>
public sealed class FibonacciGenerator : ITaskGenerator
{
    /// <inheritdoc />
    public string Name => "fibonacci";

    /// <inheritdoc />
    public int MaxSeqLen => 60;

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        int initialA = rng.NextInt(4);
        int initialB = rng.NextInt(1, 4);
        string query = rng.NextBool() ? "a" : "b";
        string program = $"a, b = {initialA}, {initialB}\nfor i in range({seqLen}):\n    a, b = b, a + b\n";
        long a = initialA, b = initialB;
        for (int i = 0; i < seqLen; i++)
        {
            (a, b) = (b, checked(a + b));
        }
        return new TaskCase(program, Py(query == "a" ? a : b),
            new FibonacciMetadata(query, initialA, initialB, seqLen));
    }
}
