using System.Globalization;
using Debug.Core.Interventions;

namespace Debug.Core.Reports;

/// <summary>
/// The Python framework's field names of an intervention record (its <c>_08</c>/<c>_10</c>/<c>_12</c> scripts), added
/// next to Debug's where the meaning is the same, so its analysis and plotting scripts read Debug's records.
/// </summary>
/// <remarks>
/// Its residual patch at layer L is the output of decoder layer L, which is Debug's <c>resid_post</c> L and the same
/// tensor as <c>resid_pre</c> L + 1; a <c>resid_pre</c> cell is therefore labelled <c>residual_stream</c> at
/// <c>layer_idx</c> L - 1, and <c>resid_pre</c> 0 (the embeddings, which it never patches) gets null. Its
/// <c>logit_difference</c>, <c>normalized_logit_difference</c> and <c>success_rate</c> are Debug's reference metrics
/// (<c>ref_logit_diff</c>, <c>ref_normalized</c>, <c>ref_success</c> as 1.0/0.0).
/// </remarks>
internal static class TracingPythonFields
{
    public static void Add(Dictionary<string, object?> record, PatchCell cell, PatchMetrics m, PatchBaseline baseline, TracingContext context)
    {
        var (type, layer) = cell.Kind switch
        {
            PatchKind.ResidPost => ("residual_stream", (int?)cell.Layer),
            PatchKind.ResidPre => cell.Layer > 0 ? ("residual_stream", cell.Layer - 1) : ((string?)null, (int?)null),
            PatchKind.AttnHead => ("attention_head", cell.Layer),
            _ => ("mlp", cell.Layer),
        };
        record["intervention_type"] = type;
        record["layer_idx"] = layer;
        record["head_idx"] = cell.Head;
        record["target_token_pos"] = cell.Position;
        record["logit_difference"] = m.RefLogitDiff;
        record["normalized_logit_difference"] = m.RefNormalized;
        record["success_rate"] = m.RefSuccess ? 1.0 : 0.0;
        record["original_top_token"] = baseline.CleanTop;
        record["intervened_top_token"] = m.PatchedTop;
        record["target_name"] = TargetName(cell, layer, context);
    }

    // Its names: pos_{p} for the residual sweep, {target}_layer_{L}_head_{h} for heads, {target}_layer_{L} for MLPs.
    private static string? TargetName(PatchCell cell, int? layer, TracingContext context)
    {
        if (layer is null) return null;
        string target = context.TargetAt(cell.Position) ?? $"pos_{cell.Position.ToString(CultureInfo.InvariantCulture)}";
        string l = layer.Value.ToString(CultureInfo.InvariantCulture);
        return cell.Kind switch
        {
            PatchKind.ResidPre or PatchKind.ResidPost => $"pos_{cell.Position.ToString(CultureInfo.InvariantCulture)}",
            PatchKind.AttnHead => $"{target}_layer_{l}_head_{cell.Head?.ToString(CultureInfo.InvariantCulture)}",
            _ => $"{target}_layer_{l}",
        };
    }
}
