namespace Debug.Core.Tasks;

/// <summary>
/// A small, fully specified pseudo-random generator: SplitMix64 (Steele, Lea and Flood, "Fast Splittable
/// Pseudorandom Number Generators", OOPSLA 2014; the constants are those of Vigna's public-domain reference
/// <c>splitmix64.c</c>).
/// </summary>
/// <remarks>
/// <para>
/// Why not <see cref="System.Random"/>: its algorithm is an implementation detail that has changed between .NET
/// versions, so the same seed could produce different benchmark programs on different machines. Every operation
/// here is integer arithmetic on <see cref="ulong"/> (wrapping), so a seed names the same program forever.
/// </para>
/// <para>
/// Algorithm, per output: <c>state += 0x9E3779B97F4A7C15; z = state; z = (z ^ (z &gt;&gt; 30)) * 0xBF58476D1CE4E5B9;
/// z = (z ^ (z &gt;&gt; 27)) * 0x94D049BB133111EB; return z ^ (z &gt;&gt; 31)</c>.
/// Seed 0 yields 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, ...
/// </para>
/// <para>Not thread-safe and not cryptographic: one instance per generation stream.</para>
/// </remarks>
public sealed class DeterministicRng
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    /// <summary>Creates a generator whose whole output sequence is determined by <paramref name="seed"/>.</summary>
    /// <param name="seed">Any 64-bit value; 0 is a valid seed.</param>
    public DeterministicRng(ulong seed) => _state = seed;

    /// <summary>Returns the next raw 64-bit SplitMix64 output.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            _state += GoldenGamma;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Returns a uniformly distributed integer in [0, <paramref name="maxExclusive"/>) without modulo bias.</summary>
    /// <param name="maxExclusive">Exclusive upper bound; must be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is zero or negative.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)NextBelow((ulong)maxExclusive);
    }

    /// <summary>Returns a uniformly distributed integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    /// <param name="minInclusive">Inclusive lower bound.</param>
    /// <param name="maxExclusive">Exclusive upper bound; must exceed <paramref name="minInclusive"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty.</exception>
    public int NextInt(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive,
                $"Must be greater than {nameof(minInclusive)} ({minInclusive}).");
        }
        return (int)(minInclusive + (long)NextBelow((ulong)((long)maxExclusive - minInclusive)));
    }

    private ulong NextBelow(ulong bound)
    {
        // 2^64 mod bound: raw values below it belong to an incomplete final block of residues. Drawing them again
        // leaves exactly 2^64 - threshold values, a multiple of bound, so every residue is equally likely.
        ulong threshold = unchecked(0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold)
            {
                return r % bound;
            }
        }
    }

    /// <summary>Returns a double in [0, 1) built from the top 53 bits of one output (exact, no rounding).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns true with probability <paramref name="probability"/>.</summary>
    /// <param name="probability">Probability of true, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1] or NaN.</exception>
    public bool NextBool(double probability = 0.5)
    {
        if (!(probability >= 0.0 && probability <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Must be in [0, 1].");
        }
        return NextDouble() < probability;
    }

    /// <summary>Returns a uniformly chosen element of <paramref name="items"/>.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">Non-empty list to choose from.</param>
    /// <exception cref="ArgumentException"><paramref name="items"/> is empty.</exception>
    public T Choice<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("Cannot choose from an empty list.", nameof(items));
        }
        return items[NextInt(items.Count)];
    }

    /// <summary>
    /// Returns an index chosen with probability proportional to its integer weight. Integer weights keep the
    /// choice exact on every platform (no floating-point accumulation).
    /// </summary>
    /// <param name="weights">Non-negative weights with a positive sum that fits in an <see cref="int"/>.</param>
    /// <exception cref="ArgumentException">A weight is negative, or all weights are zero, or the list is empty.</exception>
    public int WeightedIndex(IReadOnlyList<int> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        long total = 0;
        foreach (int w in weights)
        {
            if (w < 0)
            {
                throw new ArgumentException("Weights must be non-negative.", nameof(weights));
            }
            total += w;
        }
        if (total <= 0 || total > int.MaxValue)
        {
            throw new ArgumentException("Weights must have a positive sum no larger than int.MaxValue.", nameof(weights));
        }
        int ticket = NextInt((int)total);
        for (int i = 0; i < weights.Count; i++)
        {
            ticket -= weights[i];
            if (ticket < 0)
            {
                return i;
            }
        }
        throw new InvalidOperationException("Unreachable: the ticket is below the weight total.");
    }

    /// <summary>Returns an element chosen with probability proportional to its integer weight.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">Candidates.</param>
    /// <param name="weights">One non-negative weight per candidate.</param>
    /// <exception cref="ArgumentException">The lists differ in length, or the weights are invalid.</exception>
    public T WeightedChoice<T>(IReadOnlyList<T> items, IReadOnlyList<int> weights)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(weights);
        if (items.Count != weights.Count)
        {
            throw new ArgumentException("Need exactly one weight per item.", nameof(weights));
        }
        return items[WeightedIndex(weights)];
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates, every permutation equally likely).</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">The list to permute.</param>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
