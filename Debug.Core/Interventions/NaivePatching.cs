using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// The reference framework's method, kept as the ground truth the fast <see cref="PatchSweep"/> is tested against:
/// for every cell, three full forwards: the clean run, the counterfactual run capturing the activation, and the clean
/// run with that activation patched in. Nothing is reused or skipped.
/// </summary>
public static class NaivePatching
{
    /// <summary>Patches every cell of <paramref name="cells"/> the slow way.</summary>
    public static PatchSweepResult Run(CausalLanguageModel model, PatchingPair pair, IReadOnlyList<PatchCell> cells,
        PatchSweepOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(cells);
        options ??= new PatchSweepOptions();
        foreach (var c in cells) PatchSweep.Validate(model, pair, c);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var clean = tensor(pair.CleanIds.ToArray(), ScalarType.Int64, device: model.Device).unsqueeze(0);
        var cf = tensor(pair.CounterfactualIds.ToArray(), ScalarType.Int64, device: model.Device).unsqueeze(0);
        PatchBaseline? baseline = null;
        var patched = new List<Tensor>();
        foreach (var cell in cells)
        {
            using var cellScope = NewDisposeScope();
            var cleanLogits = model.Forward(clean, logitPositions: [-1]);
            using var capture = new HookSet().Capture(cell.Hook);
            var cfLogits = model.Forward(cf, logitPositions: [-1], hooks: capture);
            baseline ??= PatchBaseline.Create(cleanLogits, cfLogits, pair.CleanAnswer, pair.CounterfactualAnswer);
            var source = capture.Cache[cell.Hook][0].narrow(0, cell.Position, 1); // [1, ...]
            if (cell.Head is { } h) source = source.select(1, h);                 // hook_z: [1, head_dim]
            using var patch = new HookSet().Add(new Patch(cell.Hook, 0, [cell.Position], cell.Head, source));
            patched.Add(model.Forward(clean, logitPositions: [-1], hooks: patch).flatten().MoveToOuterDisposeScope());
        }
        baseline ??= Baseline(model, clean, cf, pair);
        var all = patched.Count > 0 ? stack(patched, 0) : empty([0, baseline.CleanLogits.Count], device: model.Device);
        var metrics = PatchMetrics.Compute(all, baseline);
        var kept = options.KeepLogits ? all.MoveToOuterDisposeScope() : null;
        return new PatchSweepResult(cells, metrics, baseline, pair.FirstDifference, cells.Count, kept);
    }

    private static PatchBaseline Baseline(CausalLanguageModel model, Tensor clean, Tensor cf, PatchingPair pair) =>
        PatchBaseline.Create(model.Forward(clean, logitPositions: [-1]), model.Forward(cf, logitPositions: [-1]),
            pair.CleanAnswer, pair.CounterfactualAnswer);
}
