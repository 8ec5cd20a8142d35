using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// The runs an <see cref="AttributionSweep"/> needs: the counterfactual forward (activations at every hook, no
/// gradients) and the clean forward with a zero offset that requires gradients at every hook (<see
/// cref="HookSet.Perturb"/>), then one backward from the metric, so each offset's gradient is ∂metric/∂activation
/// there. With several interpolation steps the clean forward is repeated with its token embeddings moved towards the
/// counterfactual's and the gradients averaged. Owns its tensors.
/// </summary>
internal sealed class AttributionRun : IDisposable
{
    private readonly HookSet _clean;
    private readonly HookSet _counterfactual;
    private readonly Dictionary<string, Tensor> _gradients;
    private readonly IReadOnlyList<int> _padding;

    private AttributionRun(IReadOnlyList<string> hooks, HookSet clean, HookSet counterfactual, Dictionary<string, Tensor> gradients,
        IReadOnlyList<PatchBaseline> baselines, IReadOnlyList<int> padding)
    {
        Hooks = hooks;
        _clean = clean;
        _counterfactual = counterfactual;
        _gradients = gradients;
        Baselines = baselines;
        _padding = padding;
    }

    public IReadOnlyList<string> Hooks { get; }

    /// <summary>The first pair's baseline (the only one of a single-pair run).</summary>
    public PatchBaseline Baseline => Baselines[0];

    /// <summary>Each pair's baseline, in the pairs' order.</summary>
    public IReadOnlyList<PatchBaseline> Baselines { get; }

    /// <summary>The clean run's activation at <paramref name="hook"/>, [B, T, ...] (left-padded rows).</summary>
    public Tensor Clean(string hook) => _clean.Cache[hook];

    /// <summary>The counterfactual run's activation at <paramref name="hook"/>, [B, T, ...].</summary>
    public Tensor Counterfactual(string hook) => _counterfactual.Cache[hook];

    /// <summary>∂metric/∂activation at <paramref name="hook"/> on the clean run (averaged over the steps), [B, T, ...].</summary>
    public Tensor Gradient(string hook) => _gradients[hook];

    /// <summary>
    /// (a_cf - a_clean) · gradient of pair <paramref name="row"/>, per position of its prompt (residual and MLP hooks:
    /// [T]) or per position and head (hook_z: [T * heads], position-major), in float64.
    /// </summary>
    public double[] Effects(string hook, int row = 0)
    {
        using var scope = NewDisposeScope();
        long pad = _padding[row], t = Clean(hook).shape[1] - pad;
        var diff = Counterfactual(hook)[row].narrow(0, pad, t).to_type(ScalarType.Float64).sub(Clean(hook)[row].narrow(0, pad, t).to_type(ScalarType.Float64));
        var products = diff.mul(Gradient(hook)[row].narrow(0, pad, t).to_type(ScalarType.Float64));
        return products.sum(-1).flatten().cpu().data<double>().ToArray();
    }

    /// <summary>Runs the counterfactual forward, then <paramref name="steps"/> clean forwards and backwards.</summary>
    public static AttributionRun Compute(CausalLanguageModel model, PatchingPair pair, IReadOnlyList<string> hooks, int steps) =>
        Compute(model, [pair], hooks, steps);

    /// <summary>
    /// The same for several pairs at once: their prompts are left-padded into one batch (rows do not interact, so
    /// the backward of the summed metrics gives each row its own gradient), which runs the products with several
    /// times the rows for little more than one row's time.
    /// </summary>
    public static AttributionRun Compute(CausalLanguageModel model, IReadOnlyList<PatchingPair> pairs, IReadOnlyList<string> hooks, int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "InterpolationSteps must be at least 1");
        if (pairs.Count == 0) throw new ArgumentException("no pairs", nameof(pairs));
        string embedding = HookPoint.ResidPre(0);
        var cf = new HookSet();
        var clean = new HookSet();
        var gradients = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        int longest = pairs.Max(p => p.Length);
        var padding = pairs.Select(p => longest - p.Length).ToArray();
        try
        {
            foreach (var h in hooks) cf.Capture(h);
            if (steps > 1) cf.Capture(embedding);
            var (cleanIds, cleanMask) = Padded(pairs, p => p.CleanIds, model.Device);
            var (cfIds, cfMask) = Padded(pairs, p => p.CounterfactualIds, model.Device);
            using var cleanIdsOwned = cleanIds;
            using var cfIdsOwned = cfIds;
            using var cleanMaskOwned = cleanMask;
            cfMask.Dispose(); // the same as the clean prompts' (equal lengths within a pair)
            // Equal lengths need no mask, so a single pair runs exactly the forward the exact sweep's baseline runs.
            var mask = padding.Any(p => p > 0) ? cleanMask : null;
            using var cfLogits = model.Forward(cfIds, mask, logitPositions: [-1], hooks: cf);
            PatchBaseline[]? baselines = null;
            for (int k = 0; k < steps; k++)
            {
                using var stepScope = NewDisposeScope();
                // Step 0 is the clean run itself (its offsets are zero), so it also provides the clean activations.
                var hooksOfStep = k == 0 ? clean : new HookSet();
                var leaves = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var h in hooks)
                {
                    var start = steps > 1 && h == embedding ? EmbeddingShift(cf, clean, embedding, k, steps) : zeros_like(cf.Cache[h]);
                    leaves[h] = start.detach().requires_grad_(true);
                    hooksOfStep.Perturb(h, leaves[h]);
                    if (k == 0) hooksOfStep.Capture(h);
                }
                if (k == 0 && steps > 1 && !leaves.ContainsKey(embedding)) hooksOfStep.Capture(embedding);
                if (k > 0 && !leaves.ContainsKey(embedding)) hooksOfStep.Perturb(embedding, EmbeddingShift(cf, clean, embedding, k, steps));
                Tensor logits;
                using (CausalLanguageModel.RecordGradientsOnThisThread())
                    logits = model.Forward(cleanIds, mask, logitPositions: [-1], hooks: hooksOfStep);
                if (baselines is null)
                {
                    using var detached = logits.detach();
                    baselines = pairs.Select((p, row) => PatchBaseline.Create(detached[row], cfLogits[row], p.CleanAnswer, p.CounterfactualAnswer)).ToArray();
                }
                using (enable_grad())
                {
                    Tensor? metric = null;
                    for (int row = 0; row < pairs.Count; row++)
                    {
                        var m = logits[row, 0, baselines[row].CleanAnswer].sub(logits[row, 0, baselines[row].CounterfactualAnswer]);
                        metric = metric is null ? m : metric.Plus(m);
                    }
                    metric!.backward();
                }
                foreach (var (h, leaf) in leaves)
                {
                    // A hook the metric does not depend on (none in a decoder, but cheap to handle) has no gradient.
                    var g = leaf.grad is { } grad ? grad.detach() : zeros_like(leaf);
                    var previous = gradients.GetValueOrDefault(h);
                    gradients[h] = (previous is null ? g.clone() : previous.Plus(g)).DetachFromDisposeScope();
                    previous?.Dispose();
                }
                if (k > 0) hooksOfStep.Dispose();
            }
            if (steps > 1)
                foreach (var h in hooks)
                {
                    var sum = gradients[h];
                    gradients[h] = sum.Over(steps).DetachFromDisposeScope();
                    sum.Dispose();
                }
            return new AttributionRun(hooks, clean, cf, gradients, baselines!, padding);
        }
        catch
        {
            cf.Dispose();
            clean.Dispose();
            foreach (var g in gradients.Values) g.Dispose();
            throw;
        }
    }

    /// <summary>One side's prompts as left-padded ids [B, T] and mask; the caller owns both.</summary>
    private static (Tensor Ids, Tensor Mask) Padded(IReadOnlyList<PatchingPair> pairs, Func<PatchingPair, IReadOnlyList<long>> side, Device device) =>
        LeftPadding.Pad(pairs.Select(p => (IReadOnlyList<int>)side(p).Select(id => checked((int)id)).ToList()).ToList(), device: device);

    /// <summary>Step k's offset of the token embeddings: k/steps of the way from the clean run's to the counterfactual's.</summary>
    private static Tensor EmbeddingShift(HookSet cf, HookSet clean, string embedding, int k, int steps) =>
        k == 0 ? zeros_like(cf.Cache[embedding]) : cf.Cache[embedding].sub(clean.Cache[embedding]).Times((double)k / steps);

    /// <summary>Frees activations and gradients.</summary>
    public void Dispose()
    {
        _clean.Dispose();
        _counterfactual.Dispose();
        foreach (var g in _gradients.Values) g.Dispose();
        _gradients.Clear();
    }
}
