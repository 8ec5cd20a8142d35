using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// One unpatched forward of a single prompt with what a sweep reuses: the residual stream entering every block and
/// leaving the last (<see cref="State"/>), any extra hooks, optionally every layer's keys and values, and the
/// last-position logits. Tensors live in the caller's dispose scope.
/// </summary>
internal sealed class RunCapture
{
    private RunCapture(HookSet hooks, KvCache? cache, Tensor logits, int layers)
    {
        Hooks = hooks.Cache;
        Cache = cache;
        Logits = logits;
        _layers = layers;
    }

    private readonly int _layers;

    public ActivationCache Hooks { get; }
    public KvCache? Cache { get; }

    /// <summary>[1, 1, vocab] float32.</summary>
    public Tensor Logits { get; }

    /// <summary>The residual stream entering block <paramref name="block"/> ([1, T, d]); block = layers is the output of the last.</summary>
    public Tensor State(int block) =>
        block < _layers ? Hooks[HookPoint.ResidPre(block)] : Hooks[HookPoint.ResidPost(_layers - 1)];

    public static RunCapture Run(CausalLanguageModel model, IReadOnlyList<long> ids, IEnumerable<string> extraHooks, bool withCache)
    {
        var hooks = new HookSet();
        for (int l = 0; l < model.NumLayers; l++) hooks.Capture(HookPoint.ResidPre(l));
        hooks.Capture(HookPoint.ResidPost(model.NumLayers - 1));
        foreach (var h in extraHooks) hooks.Capture(h);
        var cache = withCache ? new KvCache(model.NumLayers) : null;
        using var input = tensor(ids.ToArray(), ScalarType.Int64, device: model.Device).unsqueeze(0);
        var logits = model.Forward(input, null, null, [-1], hooks, cache);
        return new RunCapture(hooks, cache, logits, model.NumLayers);
    }
}
