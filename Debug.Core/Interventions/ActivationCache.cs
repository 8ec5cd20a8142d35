using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// Activations read during a forward pass, by hook name. Each is the hook's tensor restricted to the positions asked
/// for (query positions for patterns), all batch rows, in the compute dtype. The cache owns its tensors.
/// </summary>
public sealed class ActivationCache : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

    /// <summary>The tensor read at <paramref name="hook"/>.</summary>
    public Tensor this[string hook] => _tensors.TryGetValue(hook, out var t) ? t
        : throw new KeyNotFoundException($"hook '{hook}' was not captured (captured: {string.Join(", ", _tensors.Keys)})");

    /// <summary>Hook names present.</summary>
    public IReadOnlyCollection<string> Names => _tensors.Keys;

    /// <summary>Whether <paramref name="hook"/> was captured.</summary>
    public bool Contains(string hook) => _tensors.ContainsKey(hook);

    internal void Store(string hook, Tensor value)
    {
        if (_tensors.Remove(hook, out var old)) old.Dispose();
        _tensors[hook] = value.DetachFromDisposeScope();
    }

    /// <summary>Frees every tensor.</summary>
    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}
