using System.Text;
using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about a <see cref="PlusMinusSequenceGenerator"/> program.</summary>
/// <param name="QueryVariable">Always <c>x</c>.</param>
/// <param name="Initial">Value of the first assignment.</param>
/// <param name="Deltas">Signed change of each step line (+k or -k).</param>
/// <param name="IntermediateValues">x after each step line (for probing intermediate state); the last is the answer.</param>
public sealed record PlusMinusSequenceMetadata(
    string QueryVariable, int Initial, IReadOnlyList<int> Deltas, IReadOnlyList<long> IntermediateValues)
    : TaskMetadata(QueryVariable);

/// <summary>
/// Mixed additions and subtractions written as <c>x = x + k</c> / <c>x = x - k</c>; values may go negative.
/// The value after every line is recorded in the metadata so probes can target intermediate states.
/// <c>seqLen</c> = the number of plus/minus lines after the initial assignment.
/// </summary>
public sealed class PlusMinusSequenceGenerator : ITaskGenerator
{
    /// <inheritdoc />
    public string Name => "plus_minus";

    /// <inheritdoc />
    public int MaxSeqLen => 200;

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        int initial = rng.NextInt(10);
        var text = new StringBuilder($"x = {initial}\n");
        var deltas = new int[seqLen];
        var values = new long[seqLen];
        long x = initial;
        for (int i = 0; i < seqLen; i++)
        {
            int k = rng.NextInt(1, 10);
            bool plus = rng.NextBool();
            deltas[i] = plus ? k : -k;
            x += deltas[i];
            values[i] = x;
            text.Append(plus ? $"x = x + {k}\n" : $"x = x - {k}\n");
        }
        return new TaskCase(text.ToString(), Py(x), new PlusMinusSequenceMetadata("x", initial, deltas, values));
    }
}
