using System.Globalization;
using Debug.Core.Interventions;
using Debug.Core.Serialization;

namespace Debug.Core.Reports;

/// <summary>
/// <c>knockout_analysis.json</c>, shaped as the Python framework's <c>_11_attention_pattern_knockout.py</c> writes
/// it (<c>analyze_knockout_results</c>): counts, the layers tested, the direct and chain knockouts' mean and largest
/// effect, how many are significant (|effect| &gt; 0.1), a per-layer breakdown and the dominant mechanism.
/// </summary>
/// <remarks>
/// <para>The effect of a condition is its <c>knockout_effect</c> (<see cref="TracingPythonFields.AddKnockout"/>): the
/// normalised logit difference of the cut run. The framework's own knockout is a placeholder (it patches a head with
/// the same program, so its effects are about 0); Debug's cuts real attention edges, so the numbers here measure
/// something, in the same fields.</para>
/// <para>Its conditions cut one head of one layer each; Debug's usually cut many layers at once. <c>layers_tested</c>
/// and <c>heads_per_layer</c> therefore count the (layer, head) pairs the conditions cut, and <c>layer_breakdown</c>
/// lists only conditions that cut a single layer (none for the default all-layer conditions).</para>
/// </remarks>
public static class TracingKnockoutAnalysis
{
    /// <summary>The file name.</summary>
    public const string FileName = "knockout_analysis.json";

    /// <summary>Writes the file into <paramref name="folder"/> and returns its path.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="results">What <see cref="KnockoutRun"/> returned.</param>
    public static string Write(string folder, IReadOnlyList<(KnockoutCondition Condition, PatchMetrics Metrics)> results)
    {
        string path = Path.Combine(folder, FileName);
        AtomicFile.WriteAllText(path, DebugJson.Serialize(Document(results)));
        return path;
    }

    /// <summary>The document for <paramref name="results"/>.</summary>
    /// <param name="results">What <see cref="KnockoutRun"/> returned.</param>
    public static Dictionary<string, object?> Document(IReadOnlyList<(KnockoutCondition Condition, PatchMetrics Metrics)> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = results.Select(r => (
            Kind: TracingPythonFields.KnockoutConditionName(r.Condition),
            Layers: r.Condition.Knockouts.Select(k => k.Layer).Distinct().ToList(),
            // The framework's analysis reads a missing effect (its baseline's) as 0.
            Effect: TracingPythonFields.KnockoutConditionName(r.Condition) == "baseline" ? 0.0 : r.Metrics.RefNormalized,
            Success: TracingPythonFields.KnockoutConditionName(r.Condition) == "baseline" ? 1.0 : r.Metrics.RefSuccess ? 1.0 : 0.0)).ToList();
        var cuts = results.SelectMany(r => r.Condition.Knockouts).ToList();
        var layers = cuts.Select(k => k.Layer).Distinct().Order().ToList();
        var direct = rows.Where(r => r.Kind == "direct_knockout").ToList();
        var chain = rows.Where(r => r.Kind == "chain_knockout").ToList();

        var breakdown = new Dictionary<string, object?>();
        foreach (int layer in rows.Where(r => r.Layers.Count == 1).Select(r => r.Layers[0]).Distinct().Order())
        {
            var here = rows.Where(r => r.Layers.Count == 1 && r.Layers[0] == layer).ToList();
            var d = here.Where(r => r.Kind == "direct_knockout").Select(r => r.Effect).ToList();
            var c = here.Where(r => r.Kind == "chain_knockout").Select(r => r.Effect).ToList();
            breakdown[layer.ToString(CultureInfo.InvariantCulture)] = new Dictionary<string, object?>
            {
                ["direct_mean_effect"] = Mean(d), ["chain_mean_effect"] = Mean(c),
                ["direct_max_effect"] = Max(d), ["chain_max_effect"] = Max(c),
            };
        }

        double directMean = Mean(direct.Select(r => r.Effect).ToList()), chainMean = Mean(chain.Select(r => r.Effect).ToList());
        bool directWins = Math.Abs(directMean) > Math.Abs(chainMean);
        double ratio = directWins ? Math.Abs(directMean) / Math.Max(Math.Abs(chainMean), 1e-6) : Math.Abs(chainMean) / Math.Max(Math.Abs(directMean), 1e-6);
        return new Dictionary<string, object?>
        {
            ["total_interventions"] = results.Count,
            ["layers_tested"] = layers,
            ["heads_per_layer"] = layers.Count == 0 ? 0 : cuts.Where(k => k.Layer == layers[0]).Select(k => k.Head).Distinct().Count(),
            ["direct_knockout_stats"] = Stats(direct),
            ["chain_knockout_stats"] = Stats(chain),
            ["layer_breakdown"] = breakdown,
            ["dominant_mechanism"] = directWins ? "direct_pointer" : "chain_following",
            ["dominance_ratio"] = ratio,
        };
    }

    private static Dictionary<string, object?> Stats(List<(string Kind, List<int> Layers, double Effect, double Success)> rows) => new()
    {
        ["mean_effect"] = Mean(rows.Select(r => r.Effect).ToList()),
        ["max_effect"] = Max(rows.Select(r => r.Effect).ToList()),
        ["significant_effects"] = rows.Count(r => Math.Abs(r.Effect) > 0.1),
        ["success_rate_changes"] = Mean(rows.Select(r => r.Success).ToList()),
    };

    // The framework writes 0.0 for a condition with no rows (its chain branch); Debug does the same for both.
    private static double Mean(List<double> values) => values.Count == 0 ? 0.0 : values.Average();

    private static double Max(List<double> values) => values.Count == 0 ? 0.0 : values.Max();
}
