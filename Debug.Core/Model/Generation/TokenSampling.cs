using Debug.Core.Tasks;

namespace Debug.Core.Model.Generation;

/// <summary>
/// Sampling at a temperature with one seeded generator per batch row, so a row's tokens depend on its own seed
/// only (not on its batch neighbours or the batch size) and are the same on every machine: the draw is done in C#
/// doubles with <see cref="DeterministicRng"/>, not by libtorch's device-dependent generators.
/// </summary>
public sealed class TokenSampling
{
    private readonly DeterministicRng[] _rows;

    /// <summary>Creates a sampler for a batch whose row r draws from <paramref name="rowSeeds"/>[r].</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is not a positive finite number.</exception>
    public TokenSampling(double temperature, IReadOnlyList<ulong> rowSeeds)
    {
        ArgumentNullException.ThrowIfNull(rowSeeds);
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Sampling needs a positive finite temperature (0 is greedy: pass no sampling).");
        Temperature = temperature;
        _rows = [.. rowSeeds.Select(s => new DeterministicRng(s))];
    }

    /// <summary>The softmax temperature.</summary>
    public double Temperature { get; }

    /// <summary>Number of rows this sampler serves.</summary>
    public int Rows => _rows.Length;

    /// <summary>
    /// Draws row <paramref name="row"/>'s next token from softmax(<paramref name="logits"/> / T), where
    /// <paramref name="logits"/> is that row's slice of the vocabulary.
    /// </summary>
    public int Sample(int row, ReadOnlySpan<float> logits)
    {
        if (logits.Length == 0) throw new ArgumentException("empty logits", nameof(logits));
        double max = double.NegativeInfinity;
        foreach (float l in logits) if (l > max) max = l;
        double total = 0;
        var weights = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++)
        {
            // exp((l - max) / T) <= 1: no overflow; -inf logits (masked tokens) get weight 0.
            weights[i] = Math.Exp((logits[i] - max) / Temperature);
            total += weights[i];
        }
        double u = _rows[row].NextDouble() * total, cumulative = 0;
        int last = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0) continue;
            cumulative += weights[i];
            last = i;
            if (u < cumulative) return i;
        }
        return last; // rounding left u at the very top
    }
}
