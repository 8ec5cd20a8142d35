using System.Globalization;
using System.Text.Json;
using Debug.Core.Interventions;

namespace Debug.Core.Reports;

/// <summary>
/// Writes tracing outputs into a run folder <c>results/&lt;experiment&gt;_&lt;yyyyMMdd_HHmmss&gt;/</c>:
/// <c>patch_results.json</c> (every swept cell with all its metrics), <c>intervention_results.json</c> (knockout
/// conditions) and the PNG figures of <see cref="TracingPlots"/>. Every file goes through <see cref="AtomicFile"/>.
/// </summary>
public static class TracingResults
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Creates (and returns) <c>&lt;root&gt;/&lt;experiment&gt;_&lt;yyyyMMdd_HHmmss&gt;</c> for <paramref name="utcNow"/>.</summary>
    public static string CreateRunFolder(string root, string experiment, DateTime utcNow)
    {
        var folder = Path.Combine(root, $"{experiment}_{utcNow.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary><c>patch_results.json</c>: the baseline and one entry per cell (token text included when given).</summary>
    public static void WritePatchResults(string path, PatchSweepResult result, IReadOnlyList<string>? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = result.Baseline;
        var doc = new
        {
            baseline = Baseline(b),
            first_difference = result.FirstDifference,
            computed_cells = result.ComputedCells,
            cells = result.Cells.Select((c, i) => new
            {
                kind = c.Kind.ToString(), layer = c.Layer, position = c.Position, head = c.Head,
                token = tokens is not null && c.Position < tokens.Count ? tokens[c.Position] : null,
                metrics = Metrics(result.Metrics[i]),
            }),
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(doc, Json));
    }

    /// <summary><c>intervention_results.json</c>: each knockout condition with its cuts and metrics.</summary>
    public static void WriteInterventionResults(string path, IReadOnlyList<(KnockoutCondition Condition, PatchMetrics Metrics)> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var doc = results.Select(r => new
        {
            condition = r.Condition.Name,
            knockouts = r.Condition.Knockouts.Select(k => new { layer = k.Layer, head = k.Head, query = k.QueryPosition, keys = k.KeyPositions }),
            metrics = Metrics(r.Metrics),
        });
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(doc, Json));
    }

    /// <summary>
    /// One heatmap per patched kind in <paramref name="result"/>: residual and MLP kinds as layer x token, heads as
    /// layer x head (the largest-magnitude effect over the patched positions). The plotted metric is the normalised
    /// patching effect, or the reference framework's normalised logit difference when the two runs agree on the answer
    /// logit difference (the normalised effect is then undefined). Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> WriteHeatmaps(string folder, PatchSweepResult result, IReadOnlyList<string> tokens, int layers, int heads)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(tokens);
        bool normalized = result.Baseline.CounterfactualLogitDiff != result.Baseline.CleanLogitDiff;
        Func<PatchMetrics, double> metric = normalized ? m => m.NormalizedEffect : m => m.RefNormalized;
        string metricName = normalized ? "normalised patching effect" : "reference normalised logit difference";
        var layerLabels = Enumerable.Range(0, layers).Select(l => l.ToString(CultureInfo.InvariantCulture)).ToList();
        var written = new List<string>();
        foreach (var kind in result.Cells.Select(c => c.Kind).Distinct())
        {
            var name = kind switch { PatchKind.ResidPre => "resid_pre", PatchKind.ResidPost => "resid_post", PatchKind.AttnHead => "attn_head", _ => "mlp_out" };
            var path = Path.Combine(folder, $"heatmap_{name}.png");
            if (kind == PatchKind.AttnHead)
            {
                var grid = new double[layers, heads];
                for (int l = 0; l < layers; l++)
                    for (int h = 0; h < heads; h++) grid[l, h] = double.NaN;
                for (int i = 0; i < result.Cells.Count; i++)
                {
                    var c = result.Cells[i];
                    if (c.Kind != kind) continue;
                    double v = metric(result.Metrics[i]);
                    if (double.IsNaN(grid[c.Layer, c.Head!.Value]) || Math.Abs(v) > Math.Abs(grid[c.Layer, c.Head.Value])) grid[c.Layer, c.Head.Value] = v;
                }
                TracingPlots.Heatmap(path, $"{name}: {metricName} (largest over positions)", grid,
                    Enumerable.Range(0, heads).Select(h => "H" + h.ToString(CultureInfo.InvariantCulture)).ToList(), layerLabels, "head", "layer", metricName);
            }
            else
            {
                var grid = result.Grid(kind, metric, layers, tokens.Count);
                TracingPlots.Heatmap(path, $"{name}: {metricName}", grid,
                    tokens.Select((t, p) => $"{p.ToString(CultureInfo.InvariantCulture)} {t}").ToList(), layerLabels, "token", "layer", metricName);
            }
            written.Add(path);
        }
        return written;
    }

    private static object Baseline(PatchBaseline b) => new
    {
        clean_answer = b.CleanAnswer, counterfactual_answer = b.CounterfactualAnswer, clean_top = b.CleanTop,
        counterfactual_top = b.CounterfactualTop, clean_logit_range = b.CleanLogitRange,
        clean_logit_diff = b.CleanLogitDiff, counterfactual_logit_diff = b.CounterfactualLogitDiff,
    };

    private static Dictionary<string, object> Metrics(PatchMetrics m) => new()
    {
        ["patched_top"] = m.PatchedTop, ["ref_logit_diff"] = m.RefLogitDiff, ["ref_normalized"] = m.RefNormalized,
        ["ref_success"] = m.RefSuccess, ["logit_diff"] = m.LogitDiff, ["normalized_effect"] = m.NormalizedEffect,
        ["counterfactual_prob"] = m.CounterfactualProb, ["flipped_to_counterfactual"] = m.FlippedToCounterfactual,
    };
}
