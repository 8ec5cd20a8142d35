namespace Debug.Core.Tasks;

/// <summary>One generated benchmark item.</summary>
/// <param name="Program">Python 3 source shown to the model.</param>
/// <param name="Expected">
/// What Python would print for the queried variable (<c>str(value)</c>: <c>"42"</c>, <c>"-3"</c>, <c>"True"</c>).
/// </param>
/// <param name="Metadata">Typed facts about the program; the concrete type depends on the generator.</param>
public sealed record TaskCase(string Program, string Expected, TaskMetadata Metadata);

/// <summary>Produces seeded <see cref="TaskCase"/>s of one task family.</summary>
public interface ITaskGenerator
{
    /// <summary>Stable snake_case name used in configs and result files.</summary>
    string Name { get; }

    /// <summary>Largest <c>seqLen</c> this generator accepts.</summary>
    int MaxSeqLen { get; }

    /// <summary>Generates one case. The meaning of <paramref name="seqLen"/> is documented on each generator.</summary>
    /// <param name="seqLen">Program length parameter (lines, steps or iterations), 1..<see cref="MaxSeqLen"/>.</param>
    /// <param name="rng">The only source of randomness; the same rng state gives the same case.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seqLen"/> is outside 1..<see cref="MaxSeqLen"/>.</exception>
    TaskCase Generate(int seqLen, DeterministicRng rng);
}
