namespace Debug.Core.Reports;

/// <summary>
/// Wilson score interval for a binomial proportion. Unlike the normal approximation it stays inside [0, 1] and
/// behaves at 0 or n successes, which matters for small case groups gated at high accuracy.
/// </summary>
/// <param name="Successes">Number of correct cases.</param>
/// <param name="Trials">Number of cases.</param>
/// <param name="Lower">Lower bound of the interval.</param>
/// <param name="Upper">Upper bound of the interval.</param>
public readonly record struct WilsonInterval(int Successes, int Trials, double Lower, double Upper)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The observed proportion (0 when there are no trials).</summary>
    public double Proportion => Trials == 0 ? 0 : (double)Successes / Trials;

    /// <summary>Computes the interval for <paramref name="successes"/> out of <paramref name="trials"/>.</summary>
    public static WilsonInterval Compute(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"must be within 0..{trials}");
        if (trials == 0) return new WilsonInterval(0, 0, 0, 1);
        double n = trials, p = successes / n, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        // At p = 0 (p = 1) the lower (upper) bound is exactly 0 (1); the formula leaves ~1e-18 of rounding there.
        double lower = successes == 0 ? 0 : Math.Max(0, centre - half);
        double upper = successes == trials ? 1 : Math.Min(1, centre + half);
        return new WilsonInterval(successes, trials, lower, upper);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Proportion:P1} [{Lower:P1}, {Upper:P1}] (n={Trials})";
}
