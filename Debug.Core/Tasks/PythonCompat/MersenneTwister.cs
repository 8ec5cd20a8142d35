namespace Debug.Core.Tasks.PythonCompat;

/// <summary>A saved MT19937 position: the 624 state words and the index of the next word to temper.</summary>
/// <param name="Key">The 624 state words (a copy; changing it does not affect any generator).</param>
/// <param name="Position">0..624; 624 means the next draw twists first.</param>
public sealed record MersenneTwisterState(IReadOnlyList<uint> Key, int Position);

/// <summary>
/// The MT19937 generator (Matsumoto and Nishimura, 1998) as numpy and CPython run it: the reference twist and
/// tempering, with the two seeding routines they use (<c>init_genrand</c> for numpy's integer seeds,
/// <c>init_by_array</c> for CPython's <c>random.seed</c>).
/// </summary>
internal sealed class MersenneTwister
{
    public const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908B0DFu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7FFFFFFFu;

    private readonly uint[] _mt = new uint[N];
    private int _position = N;

    /// <summary>32-bit outputs drawn so far.</summary>
    public long WordsDrawn { get; private set; }

    private MersenneTwister() { }

    /// <summary>The reference <c>init_genrand(s)</c>, which numpy's <c>RandomState(int)</c> uses.</summary>
    public static MersenneTwister FromInitGenrand(uint seed)
    {
        var mt = new MersenneTwister();
        mt.InitGenrand(seed);
        return mt;
    }

    /// <summary>The reference <c>init_by_array(key)</c>, which CPython's <c>random.seed(int)</c> uses.</summary>
    public static MersenneTwister FromInitByArray(IReadOnlyList<uint> key)
    {
        if (key.Count == 0)
        {
            throw new ArgumentException("init_by_array needs at least one key word.", nameof(key));
        }
        var twister = new MersenneTwister();
        uint[] mt = twister._mt;
        twister.InitGenrand(19650218u);
        int i = 1, j = 0;
        unchecked
        {
            for (int k = Math.Max(N, key.Count); k > 0; k--)
            {
                mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
                i++;
                j++;
                if (i >= N)
                {
                    mt[0] = mt[N - 1];
                    i = 1;
                }
                if (j >= key.Count)
                {
                    j = 0;
                }
            }
            for (int k = N - 1; k > 0; k--)
            {
                mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint)i;
                i++;
                if (i >= N)
                {
                    mt[0] = mt[N - 1];
                    i = 1;
                }
            }
        }
        mt[0] = 0x80000000u; // the reference code's "MSB is 1; assuring non-zero initial array"
        twister._position = N;
        return twister;
    }

    private void InitGenrand(uint seed)
    {
        _mt[0] = seed;
        unchecked
        {
            for (int i = 1; i < N; i++)
            {
                _mt[i] = 1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i;
            }
        }
        _position = N;
    }

    /// <summary>The next tempered output.</summary>
    public uint Next()
    {
        if (_position >= N)
        {
            Twist();
        }
        uint y = _mt[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        WordsDrawn++;
        return y;
    }

    private void Twist()
    {
        int k;
        uint y;
        for (k = 0; k < N - M; k++)
        {
            y = (_mt[k] & UpperMask) | (_mt[k + 1] & LowerMask);
            _mt[k] = _mt[k + M] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        }
        for (; k < N - 1; k++)
        {
            y = (_mt[k] & UpperMask) | (_mt[k + 1] & LowerMask);
            _mt[k] = _mt[k + (M - N)] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        }
        y = (_mt[N - 1] & UpperMask) | (_mt[0] & LowerMask);
        _mt[N - 1] = _mt[M - 1] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        _position = 0;
    }

    public MersenneTwisterState GetState() => new(_mt.ToArray(), _position);

    public void SetState(MersenneTwisterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Key.Count != N)
        {
            throw new ArgumentException($"A Mersenne Twister state has {N} words; got {state.Key.Count}.", nameof(state));
        }
        if (state.Position < 0 || state.Position > N)
        {
            throw new ArgumentException($"A Mersenne Twister position is in 0..{N}; got {state.Position}.", nameof(state));
        }
        for (int i = 0; i < N; i++)
        {
            _mt[i] = state.Key[i];
        }
        _position = state.Position;
    }
}
