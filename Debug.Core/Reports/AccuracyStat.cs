namespace Debug.Core.Reports;

/// <summary>Accuracy of a set of cases with its 95% Wilson interval.</summary>
/// <param name="Correct">Correct cases.</param>
/// <param name="N">Cases.</param>
/// <param name="Accuracy">Correct / N (0 when N is 0).</param>
/// <param name="CiLow">Lower bound of the 95% Wilson interval.</param>
/// <param name="CiHigh">Upper bound of the 95% Wilson interval.</param>
public sealed record AccuracyStat(int Correct, int N, double Accuracy, double CiLow, double CiHigh)
{
    /// <summary>Computes the statistic for <paramref name="correct"/> out of <paramref name="n"/>.</summary>
    public static AccuracyStat Of(int correct, int n)
    {
        var w = WilsonInterval.Compute(correct, n);
        return new AccuracyStat(correct, n, w.Proportion, w.Lower, w.Upper);
    }

    /// <summary>Computes the statistic for a sequence of outcomes.</summary>
    public static AccuracyStat Of(IEnumerable<bool> outcomes)
    {
        int correct = 0, n = 0;
        foreach (bool ok in outcomes) { n++; if (ok) correct++; }
        return Of(correct, n);
    }

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"{Percent.Format(Accuracy)} ({Correct}/{N}), 95% CI [{Percent.Format(CiLow)}, {Percent.Format(CiHigh)}]");
}
