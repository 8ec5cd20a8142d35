using Debug.Core.Interventions;
using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Tracing;

/// <summary>
/// Exact measurements the attribution tests compare against, made with plain hooked forwards (no sweep engine): the
/// clean and counterfactual activations at a hook, and the answer logit difference of the clean run with one cell
/// patched to a given value or one hook offset by a given delta.
/// </summary>
internal static class AttributionProbe
{
    /// <summary>Activation at <paramref name="hook"/> of <paramref name="ids"/>, [T, ...] float32 (owned by the caller).</summary>
    public static Tensor Activation(CausalLanguageModel model, IReadOnlyList<long> ids, string hook)
    {
        using var hooks = new HookSet().Capture(hook);
        using var input = tensor(ids.ToArray(), device: model.Device).unsqueeze(0);
        model.Forward(input, logitPositions: [-1], hooks: hooks).Dispose();
        return hooks.Cache[hook][0].to_type(ScalarType.Float32).clone();
    }

    /// <summary>
    /// Answer logit difference of the clean run with <paramref name="cell"/> set to <paramref name="value"/> ([1, d]
    /// or, for a head, [1, head_dim]); a null value runs the same hooked path without a patch.
    /// </summary>
    public static double PatchedLogitDiff(CausalLanguageModel model, PatchingPair pair, PatchBaseline b, PatchCell cell, Tensor? value)
    {
        using var hooks = new HookSet();
        if (value is not null) hooks.Add(new Patch(cell.Hook, 0, [cell.Position], cell.Head, value));
        return LogitDiff(model, pair, b, hooks);
    }

    /// <summary>Answer logit difference of the clean run with <paramref name="delta"/> ([1, T, ...]) added at <paramref name="hook"/>.</summary>
    public static double OffsetLogitDiff(CausalLanguageModel model, PatchingPair pair, PatchBaseline b, string hook, Tensor delta)
    {
        using var hooks = new HookSet().Perturb(hook, delta);
        return LogitDiff(model, pair, b, hooks);
    }

    private static double LogitDiff(CausalLanguageModel model, PatchingPair pair, PatchBaseline b, HookSet hooks)
    {
        using var scope = NewDisposeScope();
        var input = tensor(pair.CleanIds.ToArray(), device: model.Device).unsqueeze(0);
        var logits = model.Forward(input, logitPositions: [-1], hooks: hooks).flatten().to_type(ScalarType.Float64);
        return logits[b.CleanAnswer].item<double>() - logits[b.CounterfactualAnswer].item<double>();
    }
}
