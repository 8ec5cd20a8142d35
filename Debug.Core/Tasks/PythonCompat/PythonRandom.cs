using System.Numerics;

namespace Debug.Core.Tasks.PythonCompat;

/// <summary>
/// CPython's <c>random.Random</c> for the two calls the Python framework makes: <c>random.seed(int)</c> and
/// <c>random.choice(seq)</c>. Used to reproduce its counterfactual root value, which it draws from the global
/// <c>random</c> module (unseeded there; the goldens seed it, and so does Debug).
/// </summary>
/// <remarks>
/// <c>seed(n)</c> feeds the 32-bit little-endian words of |n| (<c>[0]</c> for 0) to MT19937 <c>init_by_array</c>.
/// <c>choice</c> uses <c>_randbelow(len)</c>: k = bit length of len, draw <c>getrandbits(k)</c> (the top k bits of one
/// 32-bit word for k ≤ 32) until it is below len.
/// </remarks>
public sealed class PythonRandom
{
    private readonly MersenneTwister _mt;

    /// <summary>Creates the generator <c>random.seed(seed)</c> leaves behind.</summary>
    /// <param name="seed">Any integer; as in CPython, the sign is ignored.</param>
    public PythonRandom(BigInteger seed)
    {
        var magnitude = BigInteger.Abs(seed);
        var key = new List<uint>();
        while (magnitude > 0)
        {
            key.Add((uint)(magnitude & uint.MaxValue));
            magnitude >>= 32;
        }
        if (key.Count == 0)
        {
            key.Add(0);
        }
        _mt = MersenneTwister.FromInitByArray(key);
    }

    /// <summary>32-bit words drawn so far.</summary>
    public long WordsDrawn => _mt.WordsDrawn;

    /// <summary><c>random.random()</c>: a double in [0, 1) from two 32-bit words (27 and 26 bits).</summary>
    public double Random()
    {
        uint a = _mt.Next() >> 5;
        uint b = _mt.Next() >> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /// <summary><c>getrandbits(k)</c> for 1 ≤ k ≤ 32.</summary>
    /// <param name="k">Number of bits, 1..32.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is outside 1..32.</exception>
    public uint GetRandBits(int k)
    {
        if (k < 1 || k > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "getrandbits: this port supports 1..32 bits.");
        }
        return _mt.Next() >> (32 - k);
    }

    /// <summary><c>_randbelow(n)</c>: a uniform integer in [0, n) by rejection on <c>getrandbits(n.bit_length())</c>.</summary>
    /// <param name="n">Exclusive bound, 1..2^31.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public int RandBelow(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        int k = 32 - BitOperations.LeadingZeroCount((uint)n);
        uint r = GetRandBits(k);
        while (r >= (uint)n)
        {
            r = GetRandBits(k);
        }
        return (int)r;
    }

    /// <summary><c>random.choice(seq)</c>.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">Non-empty sequence.</param>
    /// <exception cref="ArgumentException"><paramref name="items"/> is empty (CPython raises IndexError).</exception>
    public T Choice<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("Cannot choose from an empty sequence.", nameof(items));
        }
        return items[RandBelow(items.Count)];
    }
}
