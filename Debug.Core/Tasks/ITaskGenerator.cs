namespace Debug.Core.Tasks;

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
