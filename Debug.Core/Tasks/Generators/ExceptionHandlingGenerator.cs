using System.Text;
using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about an <see cref="ExceptionHandlingGenerator"/> program.</summary>
/// <param name="QueryVariable">Always <c>x</c>.</param>
/// <param name="Divisors">The divisor <c>d</c> of each try block (0 means that block raises).</param>
/// <param name="Raised">Whether each block's division raised <c>ZeroDivisionError</c>.</param>
public sealed record ExceptionHandlingMetadata(string QueryVariable, IReadOnlyList<int> Divisors, IReadOnlyList<bool> Raised)
    : TaskMetadata(QueryVariable);

/// <summary>
/// A chain of guarded floor divisions. Each block sets a divisor, then
/// <c>try:\n    x = x // d\n    x += k\nexcept ZeroDivisionError:\n    x = f</c>.
/// About 30% of blocks divide by zero; the model must see that the rest of the try body is then skipped and the
/// fallback replaces x. <c>seqLen</c> = the number of try/except blocks.
/// </summary>
public sealed class ExceptionHandlingGenerator : ITaskGenerator
{
    /// <summary>Probability that a block's divisor is zero.</summary>
    public const double RaiseProbability = 0.3;

    /// <inheritdoc />
    public string Name => "exception_handling";

    /// <inheritdoc />
    public int MaxSeqLen => 50;

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        long x = rng.NextInt(10, 100);
        var text = new StringBuilder($"x = {x}\n");
        var divisors = new int[seqLen];
        var raised = new bool[seqLen];
        for (int i = 0; i < seqLen; i++)
        {
            int d = rng.NextBool(RaiseProbability) ? 0 : rng.NextInt(1, 10);
            int k = rng.NextInt(1, 10);
            int fallback = rng.NextInt(10, 100);
            divisors[i] = d;
            raised[i] = d == 0;
            text.Append($"d = {d}\ntry:\n    x = x // d\n    x += {k}\nexcept ZeroDivisionError:\n    x = {fallback}\n");
            x = d == 0 ? fallback : FloorDiv(x, d) + k;
        }
        return new TaskCase(text.ToString(), Py(x), new ExceptionHandlingMetadata("x", divisors, raised));
    }
}
