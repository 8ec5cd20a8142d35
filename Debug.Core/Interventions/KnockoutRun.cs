using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// Runs attention-knockout conditions on the clean prompt of a pair, every condition in its own row of one batched
/// forward (a knockout touches only its row), and scores each with <see cref="PatchMetrics"/> against the pair's
/// clean and counterfactual runs.
/// </summary>
public static class KnockoutRun
{
    /// <summary>Metrics of each condition, in order.</summary>
    public static IReadOnlyList<(KnockoutCondition Condition, PatchMetrics Metrics)> Run(CausalLanguageModel model,
        PatchingPair pair, IReadOnlyList<KnockoutCondition> conditions) => Run(model, pair, conditions, out _);

    /// <summary>Metrics of each condition, in order, and the unpatched runs they were scored against.</summary>
    public static IReadOnlyList<(KnockoutCondition Condition, PatchMetrics Metrics)> Run(CausalLanguageModel model,
        PatchingPair pair, IReadOnlyList<KnockoutCondition> conditions, out PatchBaseline baseline)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(conditions);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var clean = tensor(pair.CleanIds.ToArray(), ScalarType.Int64, device: model.Device).unsqueeze(0);
        var cf = tensor(pair.CounterfactualIds.ToArray(), ScalarType.Int64, device: model.Device).unsqueeze(0);
        baseline = PatchBaseline.Create(model.Forward(clean, logitPositions: [-1]), model.Forward(cf, logitPositions: [-1]),
            pair.CleanAnswer, pair.CounterfactualAnswer);
        if (conditions.Count == 0) return [];
        using var hooks = new HookSet();
        for (int row = 0; row < conditions.Count; row++)
            foreach (var k in conditions[row].Knockouts)
            {
                if (k.Layer < 0 || k.Layer >= model.NumLayers || k.Head < 0 || k.Head >= model.NumHeads
                    || k.QueryPosition < 0 || k.QueryPosition >= pair.Length || k.KeyPositions.Any(p => p < 0 || p > k.QueryPosition))
                    throw new ArgumentOutOfRangeException(nameof(conditions), $"{conditions[row].Name}: {k} is outside the model or the causal window");
                hooks.Add(k with { BatchRow = row });
            }
        var logits = model.Forward(clean.expand(conditions.Count, -1), logitPositions: [-1], hooks: hooks).squeeze(1);
        var metrics = PatchMetrics.Compute(logits, baseline);
        return conditions.Select((c, i) => (c, metrics[i])).ToList();
    }
}
