namespace Debug.Core.Experiments;

/// <summary>
/// The seed of case <c>i</c> of an experiment: a pure function of (experiment seed, i), so case i is the same
/// program in every run, whatever the number of cases, models or batch size.
/// </summary>
public static class CaseSeeds
{
    /// <summary>
    /// Mixes <paramref name="seed"/> and <paramref name="index"/> with SplitMix64's finalizer. Plain addition would
    /// make (seed 0, case 1) and (seed 1, case 0) the same program; the finalizer decorrelates neighbouring pairs.
    /// </summary>
    public static ulong For(ulong seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        unchecked
        {
            ulong z = Mix(seed) ^ ((ulong)index * 0x9E3779B97F4A7C15UL + 0xD1B54A32D192ED03UL);
            return Mix(z);
        }
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
