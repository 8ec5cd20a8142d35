using Debug.Core.Interventions;

namespace Debug.Core.Reports;

/// <summary>
/// The documents of <c>intervention_results.json</c>: the context's fields, the baseline, and one flat record per
/// intervention (what was patched or cut, where, and every metric), so a record reads as a table row.
/// </summary>
internal static class TracingRecords
{
    /// <summary>Patch kind name as the hooks and heatmap files spell it.</summary>
    public static string KindName(PatchKind kind) => kind switch
    {
        PatchKind.ResidPre => "resid_pre",
        PatchKind.ResidPost => "resid_post",
        PatchKind.AttnHead => "attn_head",
        _ => "mlp_out",
    };

    /// <summary>The sweep document: one record per cell, in the result's order.</summary>
    public static Dictionary<string, object?> Sweep(PatchSweepResult result, TracingContext context)
    {
        var doc = Header(context, result.Baseline);
        doc["first_difference"] = result.FirstDifference;
        doc["computed_cells"] = result.ComputedCells;
        doc["interventions"] = result.Cells.Select((c, i) =>
        {
            var r = new Dictionary<string, object?>
            {
                ["type"] = KindName(c.Kind), ["layer"] = c.Layer, ["head"] = c.Head, ["position"] = c.Position,
                ["token"] = context.TokenAt(c.Position), ["target"] = context.TargetAt(c.Position),
            };
            AddMetrics(r, result.Metrics[i]);
            TracingPythonFields.Add(r, c, result.Metrics[i], result.Baseline, context);
            return r;
        }).ToList();
        return doc;
    }

    /// <summary>The knockout document: one record per condition, its cuts with the keys' target names.</summary>
    public static Dictionary<string, object?> Knockout(IReadOnlyList<(KnockoutCondition Condition, PatchMetrics Metrics)> results,
        PatchBaseline? baseline, TracingContext context)
    {
        var doc = Header(context, baseline);
        doc["interventions"] = results.Select(x =>
        {
            var r = new Dictionary<string, object?>
            {
                ["type"] = "attention_knockout",
                ["condition"] = x.Condition.Name,
                ["cuts"] = x.Condition.Knockouts.Select(k => new Dictionary<string, object?>
                {
                    ["layer"] = k.Layer, ["head"] = k.Head, ["query"] = k.QueryPosition, ["keys"] = k.KeyPositions,
                    ["key_targets"] = k.KeyPositions.Select(context.TargetAt).ToList(),
                }).ToList(),
            };
            AddMetrics(r, x.Metrics);
            TracingPythonFields.AddKnockout(r, x.Condition, x.Metrics, context);
            return r;
        }).ToList();
        return doc;
    }

    /// <summary>The unpatched runs' answers and logit differences; null when the caller has none.</summary>
    public static object? Baseline(PatchBaseline? b) => b is null ? null : new Dictionary<string, object>
    {
        ["clean_answer"] = b.CleanAnswer, ["counterfactual_answer"] = b.CounterfactualAnswer, ["clean_top"] = b.CleanTop,
        ["counterfactual_top"] = b.CounterfactualTop, ["clean_logit_range"] = b.CleanLogitRange,
        ["clean_logit_diff"] = b.CleanLogitDiff, ["counterfactual_logit_diff"] = b.CounterfactualLogitDiff,
    };

    /// <summary>The fields both result files start with.</summary>
    public static Dictionary<string, object?> Header(TracingContext context, PatchBaseline? baseline) => new()
    {
        ["model"] = context.Model,
        ["clean_program"] = context.CleanProgram,
        ["counterfactual_program"] = context.CounterfactualProgram,
        ["tokens"] = context.Tokens,
        ["targets"] = context.TargetPositions(),
        ["baseline"] = Baseline(baseline),
    };

    private static void AddMetrics(Dictionary<string, object?> record, PatchMetrics m)
    {
        record["patched_top"] = m.PatchedTop;
        record["ref_logit_diff"] = m.RefLogitDiff;
        record["ref_normalized"] = m.RefNormalized;
        record["ref_success"] = m.RefSuccess;
        record["logit_diff"] = m.LogitDiff;
        record["normalized_effect"] = m.NormalizedEffect;
        record["counterfactual_prob"] = m.CounterfactualProb;
        record["flipped_to_counterfactual"] = m.FlippedToCounterfactual;
    }
}
