using MathNet.Numerics.Statistics;

namespace Debug.Core.Interventions;

/// <summary>
/// How well an <see cref="AttributionSweep"/> estimate agrees with the exact sweep of the same cells. A cell's effect
/// is the change of the answer logit difference, patched minus clean (<see cref="Effect"/>); cells are ranked by its
/// magnitude, ties broken by the cells' order. Cells before the first differing token are left out of both
/// statistics: they are exactly zero in either method, and counting them would only inflate the agreement.
/// </summary>
public static class AttributionAgreement
{
    /// <summary>Patched minus clean answer logit difference of cell <paramref name="index"/>.</summary>
    public static double Effect(PatchSweepResult result, int index)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Metrics[index].LogitDiff - result.Baseline.CleanLogitDiff;
    }

    /// <summary>
    /// Indices of the cells at or after the first differing token, strongest |<see cref="Effect"/>| first (ties: the
    /// earlier cell first).
    /// </summary>
    public static IReadOnlyList<int> Ranked(PatchSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Enumerable.Range(0, result.Cells.Count)
            .Where(i => result.Cells[i].Position >= result.FirstDifference)
            .OrderByDescending(i => Math.Abs(Effect(result, i))).ThenBy(i => i).ToList();
    }

    /// <summary>
    /// The fraction of the exact sweep's <paramref name="k"/> strongest cells that are among the estimate's
    /// <paramref name="k"/> strongest (k is capped at the number of ranked cells; NaN when there are none).
    /// </summary>
    /// <exception cref="ArgumentException">The two results do not hold the same cells in the same order.</exception>
    public static double RecallAtK(PatchSweepResult estimate, PatchSweepResult exact, int k)
    {
        CheckSameCells(estimate, exact);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var a = Ranked(estimate);
        var e = Ranked(exact);
        int n = Math.Min(k, e.Count);
        if (n == 0) return double.NaN;
        var top = a.Take(n).ToHashSet();
        return (double)e.Take(n).Count(top.Contains) / n;
    }

    /// <summary>
    /// Spearman's rank correlation of the signed effects of the ranked cells (average ranks for ties; NaN when
    /// either side is constant or fewer than two cells are ranked).
    /// </summary>
    /// <exception cref="ArgumentException">The two results do not hold the same cells in the same order.</exception>
    public static double Spearman(PatchSweepResult estimate, PatchSweepResult exact)
    {
        CheckSameCells(estimate, exact);
        var cells = Enumerable.Range(0, exact.Cells.Count).Where(i => exact.Cells[i].Position >= exact.FirstDifference).ToList();
        if (cells.Count < 2) return double.NaN;
        double rho = Correlation.Spearman(cells.Select(i => Effect(estimate, i)), cells.Select(i => Effect(exact, i)));
        return double.IsFinite(rho) ? rho : double.NaN;
    }

    private static void CheckSameCells(PatchSweepResult estimate, PatchSweepResult exact)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(exact);
        if (!estimate.Cells.SequenceEqual(exact.Cells))
            throw new ArgumentException($"the estimate has {estimate.Cells.Count} cells and the exact sweep {exact.Cells.Count}, not the same cells in the same order", nameof(exact));
        if (estimate.FirstDifference != exact.FirstDifference)
            throw new ArgumentException("the two results are of different pairs (first differences differ)", nameof(exact));
    }
}
