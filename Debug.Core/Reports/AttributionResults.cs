using Debug.Core.Interventions;
using Debug.Core.Serialization;

namespace Debug.Core.Reports;

/// <summary>
/// Writes a <see cref="VerifiedAttribution"/> into a tracing folder: the estimate of every cell as an ordinary sweep
/// (<see cref="TracingResults.WriteSweep"/>: records, aggregates, heatmaps of the estimates) and
/// <c>attribution_verified.json</c>, the verified cells strongest estimate first, each with its estimated and exact
/// change of the answer logit difference and normalised effect, and the exact engine's full metrics.
/// </summary>
public static class AttributionResults
{
    /// <summary>The verification file's name.</summary>
    public const string VerifiedFile = "attribution_verified.json";

    /// <summary>Writes the files; returns them (the sweep's, then <see cref="VerifiedFile"/>).</summary>
    /// <param name="folder">The tracing folder.</param>
    /// <param name="result">The estimate and its verified cells.</param>
    /// <param name="context">Model, programs, token labels and target names of the clean prompt.</param>
    /// <param name="layers">The model's layers.</param>
    /// <param name="heads">The model's heads per layer.</param>
    /// <param name="recall">Recall@k against a full exact sweep, when the caller ran one (written as null otherwise).</param>
    public static IReadOnlyList<string> Write(string folder, VerifiedAttribution result, TracingContext context, int layers, int heads, double? recall = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        var files = TracingResults.WriteSweep(folder, result.Attribution, context, layers, heads).ToList();
        var doc = TracingRecords.Header(context, result.Attribution.Baseline);
        doc["method"] = "attribution patching (first order), exact engine on the top cells";
        doc["verified_cells"] = result.VerifiedIndices.Count;
        doc["recall_at_k"] = recall;
        double span = result.Attribution.Baseline.CounterfactualLogitDiff - result.Attribution.Baseline.CleanLogitDiff;
        doc["cells"] = result.Verified.Select((v, rank) =>
        {
            var exact = result.Exact.Metrics[rank];
            return new Dictionary<string, object?>
            {
                ["rank"] = rank, ["type"] = TracingRecords.KindName(v.Cell.Kind), ["layer"] = v.Cell.Layer, ["head"] = v.Cell.Head,
                ["position"] = v.Cell.Position, ["token"] = context.TokenAt(v.Cell.Position), ["target"] = context.TargetAt(v.Cell.Position),
                ["estimated_change"] = v.Estimated, ["exact_change"] = v.Exact,
                ["estimated_normalized_effect"] = span == 0 ? double.NaN : v.Estimated / span,
                ["normalized_effect"] = exact.NormalizedEffect, ["logit_diff"] = exact.LogitDiff, ["patched_top"] = exact.PatchedTop,
                ["counterfactual_prob"] = exact.CounterfactualProb, ["flipped_to_counterfactual"] = exact.FlippedToCounterfactual,
            };
        }).ToList();
        var path = Path.Combine(folder, VerifiedFile);
        AtomicFile.WriteAllText(path, DebugJson.Serialize(doc));
        files.Add(path);
        return files;
    }
}
