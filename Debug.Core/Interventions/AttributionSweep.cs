using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// Attribution patching: every cell's patching effect estimated at once, to first order, from one counterfactual
/// forward and one clean forward and backward. For a cell n (an activation at one position, or one head's slice of
/// <c>hook_z</c>) the estimate of the change in the exact sweep's metric, logit(clean answer) - logit(counterfactual
/// answer) at the last position, is (a_cf(n) - a_clean(n)) · ∂metric/∂a(n), the gradient taken on the clean run
/// (Nanda 2023; Kramár et al. 2024, "AtP"). The result has <see cref="PatchSweep"/>'s type, cells and baseline
/// (answers, first difference), so reports and plots take it unchanged; <see cref="VerifiedAttribution"/> checks the
/// strongest cells with the exact engine.
/// </summary>
/// <remarks>
/// Estimated metrics: <see cref="PatchMetrics.LogitDiff"/> (clean value plus the estimated change) and
/// <see cref="PatchMetrics.NormalizedEffect"/> (the change over counterfactual minus clean, as the exact sweep
/// normalises). The metrics that need the whole patched logit vector cannot be had from one gradient and are marked
/// unknown: <see cref="PatchMetrics.PatchedTop"/> -1, <see cref="PatchMetrics.RefLogitDiff"/>,
/// <see cref="PatchMetrics.RefNormalized"/> and <see cref="PatchMetrics.CounterfactualProb"/> NaN, the two flags
/// false. Cells before the first differing token are exactly unchanged, as in the exact sweep (all their metrics are
/// the clean run's). Attention saturation (AtP*'s "QK fix") concerns query and key nodes, which this grid does not
/// have; the softmaxes downstream of a node are what a first-order estimate misses, and
/// <see cref="AttributionOptions.InterpolationSteps"/> averages the gradient along the clean-to-counterfactual path
/// for that.
/// </remarks>
public static class AttributionSweep
{
    /// <summary>Estimates the effect of patching every cell of <paramref name="cells"/> (clean run, counterfactual values).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A cell outside the model or prompt, or fewer than one interpolation step.</exception>
    public static PatchSweepResult Run(CausalLanguageModel model, PatchingPair pair, IReadOnlyList<PatchCell> cells,
        AttributionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(cells);
        return RunBatch(model, [pair], [cells], options)[0];
    }

    /// <summary>
    /// Estimates several pairs' grids at once: their prompts run left-padded in one batch, so one counterfactual forward
    /// and one clean forward and backward serve all of them. On a CPU the products of a short prompt are far from the
    /// GEMM's best rate, so a batch of 16 costs about as much as 6-7 single runs (<c>atp</c> benchmark). Each result is
    /// the single-pair <see cref="Run"/>'s up to float rounding (the batch's products add in another order).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="pairs">The pairs, of any lengths.</param>
    /// <param name="cells">Each pair's cells, in the pairs' order.</param>
    /// <param name="options">Interpolation steps.</param>
    /// <returns>One result per pair, in the pairs' order; the caller disposes them.</returns>
    /// <exception cref="ArgumentException">No pairs, or not one cell list per pair.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A cell outside the model or its pair's prompt, or fewer than one interpolation step.</exception>
    public static IReadOnlyList<PatchSweepResult> RunBatch(CausalLanguageModel model, IReadOnlyList<PatchingPair> pairs,
        IReadOnlyList<IReadOnlyList<PatchCell>> cells, AttributionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(cells);
        if (pairs.Count == 0) throw new ArgumentException("no pairs to estimate", nameof(pairs));
        if (cells.Count != pairs.Count)
            throw new ArgumentException($"{cells.Count} cell lists for {pairs.Count} pairs; give one list per pair", nameof(cells));
        options ??= new AttributionOptions();
        for (int p = 0; p < pairs.Count; p++)
            foreach (var c in cells[p]) PatchSweep.Validate(model, pairs[p], c);
        using var scope = NewDisposeScope();
        var hooks = cells.SelectMany(list => list.Select(c => c.Hook)).Distinct(StringComparer.Ordinal).ToList();
        using var run = AttributionRun.Compute(model, pairs, hooks, options.InterpolationSteps);
        var results = new PatchSweepResult[pairs.Count];
        for (int p = 0; p < pairs.Count; p++) results[p] = Result(model, run, p, pairs[p], cells[p]);
        return results;
    }

    /// <summary>Pair <paramref name="row"/>'s result from the batch's run.</summary>
    private static PatchSweepResult Result(CausalLanguageModel model, AttributionRun run, int row, PatchingPair pair, IReadOnlyList<PatchCell> cells)
    {
        var baseline = run.Baselines[row];
        var effects = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var hook in cells.Select(c => c.Hook).Distinct(StringComparer.Ordinal)) effects[hook] = run.Effects(hook, row);
        var unchanged = PatchMetrics.Unchanged(baseline);
        int d0 = pair.FirstDifference;
        var metrics = new PatchMetrics[cells.Count];
        for (int i = 0; i < cells.Count; i++)
        {
            var c = cells[i];
            if (c.Position < d0) { metrics[i] = unchanged; continue; }
            var e = effects[c.Hook];
            metrics[i] = Estimated(baseline, c.Head is { } h ? e[c.Position * model.NumHeads + h] : e[c.Position]);
        }
        return new PatchSweepResult(cells, metrics, baseline, d0, cells.Count(c => c.Position >= d0), logits: null, estimated: true);
    }

    /// <summary>The metrics of a cell whose logit difference is estimated to move by <paramref name="change"/>.</summary>
    private static PatchMetrics Estimated(PatchBaseline b, double change)
    {
        double denominator = b.CounterfactualLogitDiff - b.CleanLogitDiff;
        return new PatchMetrics(-1, double.NaN, double.NaN, false, b.CleanLogitDiff + change,
            denominator == 0 ? double.NaN : change / denominator, double.NaN, false);
    }
}
