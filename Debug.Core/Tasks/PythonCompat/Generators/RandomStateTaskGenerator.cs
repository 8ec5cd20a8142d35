namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>
/// A generator of the Python framework (loftusa/debug): it draws from numpy's legacy <see cref="NumpyRandomState"/>,
/// so <c>Generate(n, new NumpyRandomState(s))</c> is the framework's <c>gen(n, RandomState(s))</c>, character for
/// character and draw for draw.
/// </summary>
public interface IRandomStateTaskGenerator : ITaskGenerator
{
    /// <summary>Generates one case from <paramref name="rng"/>, exactly as the Python framework does.</summary>
    /// <param name="seqLen">Program length parameter, 1..<see cref="ITaskGenerator.MaxSeqLen"/>.</param>
    /// <param name="rng">The framework's random state; it advances by as many words as the framework's call draws.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seqLen"/> is out of range.</exception>
    TaskCase Generate(int seqLen, NumpyRandomState rng);
}

/// <summary>
/// Shared plumbing of the Python framework's generators: argument checks, and the <see cref="DeterministicRng"/>
/// entry point every <see cref="ITaskGenerator"/> has.
/// </summary>
public abstract class RandomStateTaskGenerator : IRandomStateTaskGenerator
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public virtual int MaxSeqLen => 100;

    /// <summary>
    /// Generates from a <see cref="NumpyRandomState"/> seeded with the high 32 bits of one draw of
    /// <paramref name="rng"/>. Deterministic, but not one of the framework's streams: for those, seed a
    /// <see cref="NumpyRandomState"/> directly (case i of its runner is <c>RandomState(i)</c>).
    /// </summary>
    /// <param name="seqLen">Program length parameter.</param>
    /// <param name="rng">Source of the RandomState seed.</param>
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        GeneratorGuard.SeqLen(seqLen, MaxSeqLen, Name);
        return Generate(seqLen, new NumpyRandomState((long)(rng.NextUInt64() >> 32)));
    }

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, NumpyRandomState rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        GeneratorGuard.SeqLen(seqLen, MaxSeqLen, Name);
        return Create(seqLen, rng);
    }

    /// <summary>The framework's generator body; arguments are already checked.</summary>
    protected abstract TaskCase Create(int seqLen, NumpyRandomState rng);
}
