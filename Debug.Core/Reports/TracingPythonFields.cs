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
        AddProgram(record, context);
    }

    /// <summary>
    /// The program fields every record of the framework repeats: <c>program_id</c> (each file holds one program, which
    /// its <c>_08</c>-<c>_12</c> scripts number 0), both programs, and the raw <c>token_labels</c>.
    /// </summary>
    public static void AddProgram(Dictionary<string, object?> record, TracingContext context)
    {
        record["program_id"] = ProgramId;
        record["original_program"] = context.CleanProgram;
        record["counterfactual_program"] = context.CounterfactualProgram;
        record["token_labels"] = context.TokenLabels ?? context.Tokens;
    }

    /// <summary>The framework's id of the one program a tracing file holds.</summary>
    public const int ProgramId = 0;

    /// <summary>
    /// The framework's knockout fields (its <c>_11_attention_pattern_knockout.py</c> records) for one of Debug's
    /// conditions. Its conditions cut one head of one layer; Debug's cut every (layer, head) they list, so
    /// <c>layer_idx</c>/<c>head_idx</c> are set only for a condition that cuts exactly one of each. Its
    /// <c>knockout_effect</c> is the normalised logit difference of the cut run (Debug's <c>ref_normalized</c>);
    /// the baseline's is 0, as its analysis counts a missing one.
    /// </summary>
    public static void AddKnockout(Dictionary<string, object?> record, KnockoutCondition condition, PatchMetrics m, TracingContext context)
    {
        var layers = condition.Knockouts.Select(k => k.Layer).Distinct().ToList();
        var heads = condition.Knockouts.Select(k => k.Head).Distinct().ToList();
        var targets = context.TargetPositions();
        bool baseline = KnockoutConditionName(condition) == "baseline";
        record["layer_idx"] = layers.Count == 1 ? layers[0] : null;
        record["head_idx"] = heads.Count == 1 ? heads[0] : null;
        record["condition"] = KnockoutConditionName(condition);
        record["query_pos"] = condition.Knockouts.Count > 0 ? condition.Knockouts[0].QueryPosition : targets.GetValueOrDefault("prediction");
        record["root_pos"] = targets.TryGetValue("ref_depth_1_rhs", out int root) ? root : null;
        record["intermediate_positions"] = targets.Where(t => t.Key.StartsWith("ref_depth_", StringComparison.Ordinal) && t.Key != "ref_depth_1_rhs")
            .Select(t => t.Value).Distinct().Order().ToList();
        record["logit_difference"] = baseline ? 0.0 : m.RefLogitDiff;
        record["normalized_logit_difference"] = baseline ? 0.0 : m.RefNormalized;
        record["success_rate"] = baseline ? 1.0 : m.RefSuccess ? 1.0 : 0.0;
        record["baseline_logit_diff"] = baseline ? null : 0.0;
        record["knockout_effect"] = baseline ? null : m.RefNormalized;
        record["target_name"] = condition.Name;
        AddProgram(record, context);
    }

    /// <summary>
    /// The framework's condition: <c>baseline</c>, <c>direct_knockout</c> or <c>chain_knockout</c> for Debug's
    /// <c>baseline*</c>, <c>direct*</c> and <c>chain*</c> conditions (else Debug's name). Debug's own name, with its
    /// suffix (<c>direct@allheads</c>), is the record's <c>target_name</c>.
    /// </summary>
    public static string KnockoutConditionName(KnockoutCondition condition) =>
        condition.Name.StartsWith("baseline", StringComparison.Ordinal) ? "baseline"
        : condition.Name.StartsWith("direct", StringComparison.Ordinal) ? "direct_knockout"
        : condition.Name.StartsWith("chain", StringComparison.Ordinal) ? "chain_knockout"
        : condition.Name;

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
