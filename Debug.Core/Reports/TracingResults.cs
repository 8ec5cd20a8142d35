using System.Globalization;
using Debug.Core.Interventions;
using Debug.Core.Serialization;

namespace Debug.Core.Reports;

/// <summary>
/// Writes tracing outputs into a run folder <c>results/&lt;experiment&gt;_&lt;yyyyMMdd_HHmmss&gt;/</c>:
/// <c>intervention_results.json</c> (one self-describing record per intervention), <c>patch_results.json</c> (a
/// sweep's aggregates by layer and position) and the PNG figures of <see cref="TracingPlots"/>. Every file goes
/// through <see cref="AtomicFile"/>; an undefined normalised effect (NaN) is written as the string "NaN"
/// (<see cref="DebugJson.Options"/>) instead of failing the whole file.
/// </summary>
public static class TracingResults
{
    /// <summary>Creates (and returns) <c>&lt;root&gt;/&lt;experiment&gt;_&lt;yyyyMMdd_HHmmss&gt;</c> for <paramref name="utcNow"/>.</summary>
    public static string CreateRunFolder(string root, string experiment, DateTime utcNow)
    {
        var folder = Path.Combine(root, $"{experiment}_{utcNow.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Writes <c>intervention_results.json</c> (one record per cell: type, layer, head, position, token, target and
    /// every metric), <c>patch_results.json</c> (per patched kind: [layer][position] or [layer][head] grids with
    /// null for unswept cells, and the largest effect by position and by layer) and one
    /// <c>heatmap_&lt;kind&gt;.png</c> per patched kind. Returns the files written.
    /// </summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="result">The sweep.</param>
    /// <param name="context">Model, programs, token labels (one per position) and target names of the clean prompt.</param>
    /// <param name="layers">The model's layers (grid rows).</param>
    /// <param name="heads">The model's heads per layer (head grid columns).</param>
    /// <exception cref="ArgumentException">A cell lies outside <paramref name="layers"/>, <paramref name="heads"/> or the context's tokens.</exception>
    public static IReadOnlyList<string> WriteSweep(string folder, PatchSweepResult result, TracingContext context, int layers, int heads)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        TracingAggregates.Validate(result, context, layers, heads);
        var records = Path.Combine(folder, "intervention_results.json");
        AtomicFile.WriteAllText(records, DebugJson.Serialize(TracingRecords.Sweep(result, context)));
        var aggregates = Path.Combine(folder, "patch_results.json");
        AtomicFile.WriteAllText(aggregates, DebugJson.Serialize(TracingAggregates.Document(result, context, layers, heads)));
        return [records, aggregates, .. WriteHeatmaps(folder, result, context.Tokens, layers, heads)];
    }

    /// <summary>
    /// Writes <c>intervention_results.json</c> (one record per knockout condition: its cuts, with the key positions'
    /// target names, and every metric) and <c>knockout_bars.png</c> (each condition's answer logit difference, with
    /// the clean and counterfactual runs' values as reference lines when <paramref name="baseline"/> is given), then
    /// the Python framework's <c>knockout_analysis.json</c> (<see cref="TracingKnockoutAnalysis"/>). Returns the files written.
    /// </summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="results">What <see cref="KnockoutRun"/> returned.</param>
    /// <param name="baseline">The pair's unpatched runs, if the caller has them (e.g. from a sweep of the same pair); written as null otherwise.</param>
    /// <param name="context">Model, programs, token labels and target names of the clean prompt.</param>
    public static IReadOnlyList<string> WriteKnockout(string folder, IReadOnlyList<(KnockoutCondition Condition, PatchMetrics Metrics)> results,
        PatchBaseline? baseline, TracingContext context)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(context);
        var records = Path.Combine(folder, "intervention_results.json");
        AtomicFile.WriteAllText(records, DebugJson.Serialize(TracingRecords.Knockout(results, baseline, context)));
        var bars = Path.Combine(folder, "knockout_bars.png");
        List<(string, double)> references = baseline is null ? [] :
            [("clean run", baseline.CleanLogitDiff), ("counterfactual run", baseline.CounterfactualLogitDiff)];
        TracingPlots.Bars(bars, $"{context.Model}: attention knockout", results.Select(r => r.Condition.Name).ToList(),
            results.Select(r => r.Metrics.LogitDiff).ToList(), "logit diff (clean - counterfactual answer)", references);
        return [records, bars, TracingKnockoutAnalysis.Write(folder, results)];
    }

    /// <summary>
    /// One heatmap per patched kind: residual and MLP kinds as layer x token, heads as layer x head (the
    /// largest-magnitude effect over the patched positions, as in <c>patch_results.json</c>). The plotted metric is
    /// the normalised patching effect, or the reference framework's normalised logit difference when the two runs
    /// agree on the answer logit difference (the normalised effect is then undefined). Then one
    /// <c>heatmap_&lt;kind&gt;_normalized_logit_difference.png</c> per kind with the Python framework's metric. An
    /// attribution estimate gets the first set only, titled as estimated (it has no reference metric).
    /// </summary>
    private static IEnumerable<string> WriteHeatmaps(string folder, PatchSweepResult result, IReadOnlyList<string> tokens, int layers, int heads)
    {
        bool normalized = result.Baseline.CounterfactualLogitDiff != result.Baseline.CleanLogitDiff;
        // An attribution estimate knows only the logit difference: no reference-metric plots, and nothing to plot
        // when the normalised effect is undefined.
        if (result.Estimated && !normalized) yield break;
        Func<PatchMetrics, double> metric = normalized ? m => m.NormalizedEffect : m => m.RefNormalized;
        string metricName = (result.Estimated ? "estimated " : "") + (normalized ? "normalised patching effect" : "reference normalised logit difference");
        var layerLabels = Enumerable.Range(0, layers).Select(l => l.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var kind in result.Cells.Select(c => c.Kind).Distinct())
        {
            var name = TracingRecords.KindName(kind);
            var path = Path.Combine(folder, $"heatmap_{name}.png");
            if (kind == PatchKind.AttnHead)
                TracingPlots.Heatmap(path, $"{name}: {metricName} (largest over positions)",
                    Blank(TracingAggregates.HeadGrid(result, metric, layers, heads)),
                    Enumerable.Range(0, heads).Select(h => "H" + h.ToString(CultureInfo.InvariantCulture)).ToList(), layerLabels, "head", "layer", metricName);
            else
                TracingPlots.Heatmap(path, $"{name}: {metricName}",
                    Blank(TracingAggregates.PositionGrid(result, kind, metric, layers, tokens.Count)),
                    tokens.Select((t, p) => $"{p.ToString(CultureInfo.InvariantCulture)}:{t}").ToList(), layerLabels, "token", "layer", metricName);
            yield return path;
        }
        // The Python framework's plots show its normalized logit difference; the same picture, next to Debug's.
        if (result.Estimated) yield break;
        const string reference = "normalized logit difference (Python framework)";
        foreach (var kind in result.Cells.Select(c => c.Kind).Distinct())
        {
            var name = TracingRecords.KindName(kind);
            var path = Path.Combine(folder, $"heatmap_{name}_normalized_logit_difference.png");
            if (kind == PatchKind.AttnHead)
                TracingPlots.Heatmap(path, $"{name}: {reference} (largest over positions)",
                    Blank(TracingAggregates.HeadGrid(result, m => m.RefNormalized, layers, heads)),
                    Enumerable.Range(0, heads).Select(h => "H" + h.ToString(CultureInfo.InvariantCulture)).ToList(), layerLabels, "head", "layer", reference);
            else
                TracingPlots.Heatmap(path, $"{name}: {reference}",
                    Blank(TracingAggregates.PositionGrid(result, kind, m => m.RefNormalized, layers, tokens.Count)),
                    tokens.Select((t, p) => $"{p.ToString(CultureInfo.InvariantCulture)}:{t}").ToList(), layerLabels, "token", "layer", reference);
            yield return path;
        }
    }

    // The plots draw NaN cells blank, which is what an unswept cell should look like.
    private static double[,] Blank(double?[][] grid)
    {
        var values = new double[grid.Length, grid.Length == 0 ? 0 : grid[0].Length];
        for (int r = 0; r < values.GetLength(0); r++)
            for (int c = 0; c < values.GetLength(1); c++) values[r, c] = grid[r][c] ?? double.NaN;
        return values;
    }
}
