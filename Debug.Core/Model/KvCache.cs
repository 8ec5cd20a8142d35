using static TorchSharp.torch;

namespace Debug.Core.Model;

/// <summary>
/// Keys and values of every layer for the tokens seen so far ([batch, kv_heads, past, head_dim], after RoPE, before
/// the GQA repeat), plus the 2-D attention mask over those tokens. Used by greedy generation.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    // A frozen cache lends a fixed prefix (owned by someone else) to many forwards: Append neither stores nor frees.
    private readonly bool _frozen;

    /// <summary>An empty cache for a model with <paramref name="layers"/> layers.</summary>
    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>
    /// A cache that serves <paramref name="keys"/>/<paramref name="values"/> ([1, kv_heads, past, head_dim] per layer)
    /// as the past of every forward that uses it, broadcast over the forward's batch, without growing. The caller keeps
    /// ownership. Used to resume many patched rows after a shared clean prefix.
    /// </summary>
    internal static KvCache Frozen(IReadOnlyList<Tensor> keys, IReadOnlyList<Tensor> values)
    {
        var cache = new KvCache(keys.Count, frozen: true);
        for (int i = 0; i < keys.Count; i++) (cache._keys[i], cache._values[i]) = (keys[i], values[i]);
        return cache;
    }

    private KvCache(int layers, bool frozen) : this(layers) => _frozen = frozen;

    /// <summary>The cached keys and values of <paramref name="layer"/> ([batch, kv_heads, past, head_dim]).</summary>
    internal (Tensor K, Tensor V) Layer(int layer) =>
        (_keys[layer] ?? throw new InvalidOperationException("empty cache"), _values[layer]!);

    /// <summary>
    /// Serves this batch-1 cache's tokens to <paramref name="batch"/> rows from now on (broadcast views, no copy; the
    /// next <see cref="Append"/> materialises each row's keys and values).
    /// </summary>
    internal void ExpandBatch(int batch)
    {
        if (_frozen) throw new InvalidOperationException("a frozen cache cannot be expanded");
        for (int i = 0; i < _keys.Length; i++)
        {
            var (k, v) = (_keys[i] ?? throw new InvalidOperationException("empty cache"), _values[i]!);
            if (k.shape[0] != 1) throw new InvalidOperationException($"only a batch-1 cache can be expanded (layer {i} has {k.shape[0]} rows)");
            _keys[i] = k.expand(batch, -1, -1, -1).DetachFromDisposeScope();
            _values[i] = v.expand(batch, -1, -1, -1).DetachFromDisposeScope();
            k.Dispose();
            v.Dispose();
        }
    }

    /// <summary>Number of cached positions.</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys and values for <paramref name="layer"/> and returns the full ones.</summary>
    internal (Tensor K, Tensor V) Append(int layer, Tensor k, Tensor v)
    {
        var (oldK, oldV) = (_keys[layer], _values[layer]);
        if (_frozen)
        {
            long b = k.shape[0];
            return (cat([oldK!.expand(b, -1, -1, -1), k], 2), cat([oldV!.expand(b, -1, -1, -1), v], 2));
        }
        var newK = oldK is null ? k.clone() : cat([oldK, k], 2);
        var newV = oldV is null ? v.clone() : cat([oldV, v], 2);
        oldK?.Dispose();
        oldV?.Dispose();
        _keys[layer] = newK.DetachFromDisposeScope();
        _values[layer] = newV.DetachFromDisposeScope();
        return (newK, newV);
    }

    /// <summary>Frees the cached tensors.</summary>
    public void Dispose()
    {
        if (_frozen) return;
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = _values[i] = null;
        }
    }
}
