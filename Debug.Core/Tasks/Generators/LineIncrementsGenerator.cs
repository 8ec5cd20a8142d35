using System.Text;
using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about a <see cref="LineIncrementsGenerator"/> program.</summary>
/// <param name="QueryVariable">Always <c>x</c>.</param>
/// <param name="Initial">Value of the first assignment.</param>
/// <param name="Increments">The amount added by each <c>x += k</c> line, in program order.</param>
public sealed record LineIncrementsMetadata(string QueryVariable, int Initial, IReadOnlyList<int> Increments)
    : TaskMetadata(QueryVariable);

/// <summary>
/// Straight-line increments: <c>x = a</c> then one <c>x += k</c> per line (k in 1..9).
/// <c>seqLen</c> = the number of increment lines.
/// </summary>
public sealed class LineIncrementsGenerator : ITaskGenerator
{
    /// <inheritdoc />
    public string Name => "line_increments";

    /// <inheritdoc />
    public int MaxSeqLen => 200;

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        int initial = rng.NextInt(10);
        var text = new StringBuilder($"x = {initial}\n");
        var increments = new int[seqLen];
        long x = initial;
        for (int i = 0; i < seqLen; i++)
        {
            increments[i] = rng.NextInt(1, 10);
            x += increments[i];
            text.Append($"x += {increments[i]}\n");
        }
        return new TaskCase(text.ToString(), Py(x), new LineIncrementsMetadata("x", initial, increments));
    }
}
