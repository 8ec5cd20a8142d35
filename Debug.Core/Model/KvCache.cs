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

    /// <summary>An empty cache for a model with <paramref name="layers"/> layers.</summary>
    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Number of cached positions.</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys and values for <paramref name="layer"/> and returns the full ones.</summary>
    internal (Tensor K, Tensor V) Append(int layer, Tensor k, Tensor v)
    {
        var (oldK, oldV) = (_keys[layer], _values[layer]);
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
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = _values[i] = null;
        }
    }
}
