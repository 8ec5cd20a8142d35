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

    private AttributionRun(IReadOnlyList<string> hooks, HookSet clean, HookSet counterfactual, Dictionary<string, Tensor> gradients, PatchBaseline baseline)
    {
        Hooks = hooks;
        _clean = clean;
        _counterfactual = counterfactual;
        _gradients = gradients;
        Baseline = baseline;
    }

    public IReadOnlyList<string> Hooks { get; }
    public PatchBaseline Baseline { get; }

    /// <summary>The clean run's activation at <paramref name="hook"/>, [1, T, ...].</summary>
    public Tensor Clean(string hook) => _clean.Cache[hook];

    /// <summary>The counterfactual run's activation at <paramref name="hook"/>, [1, T, ...].</summary>
    public Tensor Counterfactual(string hook) => _counterfactual.Cache[hook];

    /// <summary>∂metric/∂activation at <paramref name="hook"/> on the clean run (averaged over the steps), [1, T, ...].</summary>
    public Tensor Gradient(string hook) => _gradients[hook];

    /// <summary>
    /// (a_cf - a_clean) · gradient per position (residual and MLP hooks: [T]) or per position and head (hook_z:
    /// [T * heads], position-major), in float64.
    /// </summary>
    public double[] Effects(string hook)
    {
        using var scope = NewDisposeScope();
        var diff = Counterfactual(hook).to_type(ScalarType.Float64).sub(Clean(hook).to_type(ScalarType.Float64));
        var products = diff.mul(Gradient(hook).to_type(ScalarType.Float64))[0];
        return products.sum(-1).flatten().cpu().data<double>().ToArray();
    }

    /// <summary>Runs the counterfactual forward, then <paramref name="steps"/> clean forwards and backwards.</summary>
    public static AttributionRun Compute(CausalLanguageModel model, PatchingPair pair, IReadOnlyList<string> hooks, int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "InterpolationSteps must be at least 1");
        string embedding = HookPoint.ResidPre(0);
        var cf = new HookSet();
        var clean = new HookSet();
        var gradients = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var h in hooks) cf.Capture(h);
            if (steps > 1) cf.Capture(embedding);
            using var cfIds = tensor(pair.CounterfactualIds.ToArray(), ScalarType.Int64, device: model.Device).unsqueeze(0);
            using var cfLogits = model.Forward(cfIds, logitPositions: [-1], hooks: cf);
            using var cleanIds = tensor(pair.CleanIds.ToArray(), ScalarType.Int64, device: model.Device).unsqueeze(0);
            PatchBaseline? baseline = null;
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
                    logits = model.Forward(cleanIds, logitPositions: [-1], hooks: hooksOfStep);
                baseline ??= PatchBaseline.Create(logits.detach(), cfLogits, pair.CleanAnswer, pair.CounterfactualAnswer);
                using (enable_grad())
                {
                    var metric = logits[0, 0, baseline.CleanAnswer].sub(logits[0, 0, baseline.CounterfactualAnswer]);
                    metric.backward();
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
            return new AttributionRun(hooks, clean, cf, gradients, baseline!);
        }
        catch
        {
            cf.Dispose();
            clean.Dispose();
            foreach (var g in gradients.Values) g.Dispose();
            throw;
        }
    }

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
