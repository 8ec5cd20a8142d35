namespace Debug.Core.Tasks.PythonCompat;

/// <summary>
/// numpy's legacy <c>numpy.random.RandomState</c>, bit for bit: MT19937 seeded from an integer, and the legacy
/// algorithms of <c>random()</c>, <c>randint</c> and <c>choice</c>. Programs generated with it are the Python
/// framework's (loftusa/debug) programs for the same seed.
/// </summary>
/// <remarks>
/// <para>
/// The legacy stream is frozen by numpy's compatibility policy, so these algorithms are a specification rather than an
/// implementation detail: <c>RandomState(s)</c> runs MT19937 <c>init_genrand(s)</c> (not <c>init_by_array</c>);
/// <c>random()</c> takes two 32-bit words; <c>randint</c> masks a 32-bit word and redraws values above the range,
/// and draws nothing when the range holds a single value; <c>choice(p)</c> searches a normalised cumulative sum.
/// </para>
/// <para><see cref="WordsDrawn"/> counts 32-bit outputs, the <c>mt_words</c> column of the seed goldens.</para>
/// <para>Not thread-safe: one instance per generation stream, as in numpy.</para>
/// </remarks>
public sealed class NumpyRandomState
{
    private static readonly double ProbabilityTolerance = Math.Sqrt(Math.Pow(2, -52));
    private readonly MersenneTwister _mt;

    /// <summary>Creates the generator <c>numpy.random.RandomState(seed)</c> would create.</summary>
    /// <param name="seed">Seed in [0, 2^32), numpy's accepted range for an integer seed.</param>
    /// <exception cref="ArgumentException"><paramref name="seed"/> is negative or at least 2^32.</exception>
    public NumpyRandomState(long seed)
    {
        if (seed < 0 || seed > uint.MaxValue)
        {
            throw new ArgumentException(
                $"A RandomState seed must be between 0 and 2**32 - 1 (numpy's rule); got {seed}.", nameof(seed));
        }
        _mt = MersenneTwister.FromInitGenrand((uint)seed);
    }

    private NumpyRandomState(MersenneTwister mt) => _mt = mt;

    /// <summary>Creates a generator positioned at <paramref name="state"/>, like <c>RandomState().set_state(state)</c>.</summary>
    /// <param name="state">A state from <see cref="GetState"/>.</param>
    public static NumpyRandomState FromState(MersenneTwisterState state)
    {
        var rng = new NumpyRandomState(0);
        rng.SetState(state);
        return rng;
    }

    /// <summary>How many 32-bit Mersenne Twister outputs this instance has drawn since it was created.</summary>
    /// <remarks><see cref="SetState"/> does not reset it: it counts the work done through this object.</remarks>
    public long WordsDrawn => _mt.WordsDrawn;

    /// <summary>The next tempered 32-bit MT19937 output.</summary>
    public uint NextUInt32() => _mt.Next();

    /// <summary><c>random()</c> / <c>rand()</c> / <c>random_sample()</c>: a double in [0, 1) from two 32-bit words.</summary>
    public double Random()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>randint(low, high)</c>: an integer in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="low">Inclusive lower bound.</param>
    /// <param name="high">Exclusive upper bound; the range may hold at most 2^32 values.</param>
    /// <exception cref="ArgumentException">The range is empty or wider than 2^32.</exception>
    public long RandInt(long low, long high)
    {
        if (high <= low)
        {
            throw new ArgumentException($"randint: low ({low}) must be below high ({high}).", nameof(high));
        }
        ulong range = (ulong)(high - 1 - low);
        if (range > uint.MaxValue)
        {
            throw new ArgumentException(
                $"randint(low={low}, high={high}): high - low exceeds 2^32 values; numpy draws such a range from 64-bit words, " +
                "which this port does not implement (no generator of the Python framework asks for one).",
                nameof(high));
        }
        if (range == 0)
        {
            // numpy returns low without touching the generator.
            return low;
        }
        uint r = (uint)range;
        uint mask = r;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        do
        {
            value = NextUInt32() & mask;
        }
        while (value > r);
        return low + value;
    }

    /// <summary><c>randint(low, high, size)</c>: <paramref name="size"/> scalar draws in a row.</summary>
    /// <param name="low">Inclusive lower bound.</param>
    /// <param name="high">Exclusive upper bound.</param>
    /// <param name="size">Number of values, at least 0.</param>
    /// <exception cref="ArgumentException">The range is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public long[] RandInt(long low, long high, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var values = new long[size];
        for (int i = 0; i < size; i++)
        {
            values[i] = RandInt(low, high);
        }
        return values;
    }

    /// <summary><c>choice(items)</c> without weights: <c>items[randint(0, len(items))]</c>.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">Non-empty list; a one-element list draws nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="items"/> is empty.</exception>
    public T Choice<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("choice: 'a' cannot be empty.", nameof(items));
        }
        return items[(int)RandInt(0, items.Count)];
    }

    /// <summary>
    /// <c>choice(items, p=p)</c>: the cumulative sum of <paramref name="p"/> (left to right) divided by its last
    /// element, one <see cref="Random"/>, and the number of cumulative entries at or below it (numpy's right-side
    /// <c>searchsorted</c>). Always two words, even for one element.
    /// </summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">Non-empty list.</param>
    /// <param name="p">One probability per item, non-negative, summing to 1 within numpy's tolerance.</param>
    /// <exception cref="ArgumentException">The lists differ in length, are empty, or <paramref name="p"/> is not a probability vector.</exception>
    public T Choice<T>(IReadOnlyList<T> items, IReadOnlyList<double> p)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(p);
        if (items.Count == 0)
        {
            throw new ArgumentException("choice: 'a' cannot be empty.", nameof(items));
        }
        if (p.Count != items.Count)
        {
            throw new ArgumentException($"choice: 'a' and 'p' must have the same size ({items.Count} vs {p.Count}).", nameof(p));
        }
        var cdf = new double[p.Count];
        double sum = 0;
        for (int i = 0; i < p.Count; i++)
        {
            if (!(p[i] >= 0))
            {
                throw new ArgumentException($"choice: probabilities are not non-negative (p[{i}] = {p[i]}).", nameof(p));
            }
            sum += p[i];
            cdf[i] = sum;
        }
        // numpy's own check: |sum - 1| within sqrt(float64 machine epsilon).
        if (Math.Abs(sum - 1.0) > ProbabilityTolerance)
        {
            throw new ArgumentException($"choice: probabilities do not sum to 1 (sum {sum}).", nameof(p));
        }
        double last = cdf[^1];
        for (int i = 0; i < cdf.Length; i++)
        {
            cdf[i] /= last;
        }
        double u = Random();
        int index = 0;
        while (index < cdf.Length && cdf[index] <= u)
        {
            index++;
        }
        // u < 1 = cdf[^1], so the index is always in range; the guard keeps an all-but-impossible rounding case safe.
        return items[Math.Min(index, items.Count - 1)];
    }

    /// <summary>A copy of the generator's position, like <c>get_state()</c>.</summary>
    public MersenneTwisterState GetState() => _mt.GetState();

    /// <summary>Moves the generator to <paramref name="state"/>, like <c>set_state(state)</c>.</summary>
    /// <param name="state">A state from <see cref="GetState"/>.</param>
    public void SetState(MersenneTwisterState state) => _mt.SetState(state);
}
