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
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(cells);
        options ??= new AttributionOptions();
        foreach (var c in cells) PatchSweep.Validate(model, pair, c);
        using var scope = NewDisposeScope();
        using var run = AttributionRun.Compute(model, pair, cells.Select(c => c.Hook).Distinct(StringComparer.Ordinal).ToList(),
            options.InterpolationSteps);
        var baseline = run.Baseline;
        var effects = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var hook in run.Hooks) effects[hook] = run.Effects(hook);
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
