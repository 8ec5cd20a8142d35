using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// What to read and write during one forward pass: captures into <see cref="Cache"/>, patches (each in its own batch
/// row, so one batched forward can carry a different intervention per row) and attention knockouts. Patches run
/// before captures at the same hook, so the cache shows what flowed on. Pass null instead of an empty instance to get
/// the hook-free fast path.
/// </summary>
public sealed class HookSet : IDisposable
{
    private readonly Dictionary<string, IReadOnlyList<int>?> _captures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Patch>> _patches = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<AttentionKnockout>> _knockouts = new();
    private readonly Dictionary<string, List<Action<Tensor>>> _observers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Tensor>> _offsets = new(StringComparer.Ordinal);

    /// <summary>Activations captured by the last forward pass that used this instance.</summary>
    public ActivationCache Cache { get; } = new();

    /// <summary>Read <paramref name="hook"/> at <paramref name="positions"/> (null: every position).</summary>
    public HookSet Capture(string hook, IReadOnlyList<int>? positions = null)
    {
        _captures[hook] = positions;
        return this;
    }

    /// <summary>Write a patch.</summary>
    public HookSet Add(Patch patch)
    {
        if (HookPoint.IsPattern(patch.Hook) && patch.Head is null)
            throw new ArgumentException("a hook_pattern patch needs a head", nameof(patch));
        (_patches.TryGetValue(patch.Hook, out var l) ? l : _patches[patch.Hook] = []).Add(patch);
        return this;
    }

    /// <summary>Add an attention knockout.</summary>
    public HookSet Add(AttentionKnockout knockout)
    {
        (_knockouts.TryGetValue(knockout.Layer, out var l) ? l : _knockouts[knockout.Layer] = []).Add(knockout);
        return this;
    }

    /// <summary>
    /// Calls <paramref name="observer"/> with the live activation at <paramref name="hook"/> (after patches and
    /// knockouts), without copying it. The tensor belongs to the forward pass and is freed when it ends: an observer
    /// that keeps a result must detach it from the dispose scope. Gradients flow through it when the forward runs
    /// with gradients enabled, which is what training-time auxiliary losses need.
    /// </summary>
    public HookSet Observe(string hook, Action<Tensor> observer)
    {
        (_observers.TryGetValue(hook, out var l) ? l : _observers[hook] = []).Add(observer);
        return this;
    }

    /// <summary>
    /// Adds <paramref name="delta"/> (broadcast to the activation's shape, e.g. [1, T, d_model] for a residual hook) to
    /// the activation at <paramref name="hook"/>, after patches and before knockouts, captures and observers. A zero
    /// delta that requires gradients is how attribution patching reads ∂metric/∂activation: after a forward with
    /// gradients enabled and a backward from the metric, the delta's <c>grad</c> is the activation's gradient. The
    /// caller keeps ownership of <paramref name="delta"/>.
    /// </summary>
    public HookSet Perturb(string hook, Tensor delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        (_offsets.TryGetValue(hook, out var l) ? l : _offsets[hook] = []).Add(delta);
        return this;
    }

    /// <summary>Whether layer <paramref name="layer"/> must materialise its attention pattern (no fused kernel).</summary>
    internal bool NeedsPattern(int layer)
    {
        var name = HookPoint.AttnPattern(layer);
        return _knockouts.ContainsKey(layer) || _captures.ContainsKey(name) || _patches.ContainsKey(name) || _observers.ContainsKey(name);
    }

    /// <summary>Applies patches, knockouts and captures registered at <paramref name="hook"/>; returns the tensor to use.</summary>
    internal Tensor Apply(string hook, Tensor x, int layer = -1)
    {
        bool isPattern = HookPoint.IsPattern(hook);
        if (_patches.TryGetValue(hook, out var patches))
        {
            x = x.clone();
            foreach (var p in patches) Write(x, p, isPattern);
        }
        if (_offsets.TryGetValue(hook, out var offsets))
            foreach (var delta in offsets) x = x.Plus(delta.to_type(x.dtype));
        if (isPattern && _knockouts.TryGetValue(layer, out var kos))
        {
            if (patches is null && offsets is null) x = x.clone();
            foreach (var k in kos)
            {
                using var keys = Index(k.KeyPositions, x.device);
                var row = k.BatchRow is { } r ? TensorIndex.Single(r) : TensorIndex.Colon;
                x.PutInPlace(0.0, row, TensorIndex.Single(k.Head), TensorIndex.Single(k.QueryPosition), TensorIndex.Tensor(keys));
            }
        }
        if (_captures.TryGetValue(hook, out var positions))
        {
            using var scope = NewDisposeScope();
            Tensor read;
            if (positions is null) read = x.clone();
            else
            {
                using var idx = Index(positions, x.device);
                read = x.index_select(isPattern ? 2 : 1, idx);
            }
            Cache.Store(hook, read);
        }
        if (_observers.TryGetValue(hook, out var observers))
            foreach (var observe in observers) observe(x);
        return x;
    }

    private static void Write(Tensor x, Patch p, bool isPattern)
    {
        Check(x, p, isPattern);
        using var scope = NewDisposeScope();
        var pos = Index(p.Positions, x.device);
        var value = p.Value.to_type(x.dtype);
        var row = TensorIndex.Single(p.BatchRow);
        if (isPattern)
            x.index_put_(value, row, TensorIndex.Single(p.Head!.Value), TensorIndex.Tensor(pos));
        else if (p.Head is { } h)
            x.index_put_(value, row, TensorIndex.Tensor(pos), TensorIndex.Single(h));
        else
            x.index_put_(value, row, TensorIndex.Tensor(pos));
    }

    // libtorch's indexing errors do not say which patch was wrong; these do.
    private static void Check(Tensor x, Patch p, bool isPattern)
    {
        int posDim = isPattern ? 2 : 1;
        if (p.BatchRow < 0 || p.BatchRow >= x.shape[0])
            throw new ArgumentException($"patch at {p.Hook}: batch row {p.BatchRow} outside a batch of {x.shape[0]}");
        foreach (var pos in p.Positions)
            if (pos < 0 || pos >= x.shape[posDim])
                throw new ArgumentException($"patch at {p.Hook}: position {pos} outside a sequence of {x.shape[posDim]}");
        if (p.Head is { } h && (!HookPoint.HasHeads(p.Hook) || h < 0 || h >= x.shape[isPattern ? 1 : 2]))
            throw new ArgumentException($"patch at {p.Hook}: head {h} is not valid for a hook of shape [{string.Join(", ", x.shape)}]");
        long expected = x.NumberOfElements / x.shape[0] / x.shape[posDim] * p.Positions.Count / (p.Head is null ? 1 : x.shape[isPattern ? 1 : 2]);
        if (p.Value.NumberOfElements != expected)
            throw new ArgumentException($"patch at {p.Hook}: value has {p.Value.NumberOfElements} elements " +
                $"([{string.Join(", ", p.Value.shape)}]) but {p.Positions.Count} position(s) need {expected}");
    }

    // Index tensors live where the activation they index does.
    private static Tensor Index(IReadOnlyList<int> positions, Device device) =>
        tensor(positions.Select(i => (long)i).ToArray(), ScalarType.Int64, device: device);

    /// <summary>Frees the cache.</summary>
    public void Dispose() => Cache.Dispose();
}
