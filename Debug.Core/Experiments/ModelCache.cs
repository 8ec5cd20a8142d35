using static TorchSharp.torch;

namespace Debug.Core.Experiments;

/// <summary>
/// Loaded models keyed by display name, so a test run that asks ten experiments of the same model loads it once.
/// Thread-safe: xUnit may run experiment classes in parallel.
/// </summary>
public sealed class ModelCache : IDisposable
{
    private readonly Dictionary<string, LoadedModel> _models = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// Creates an empty cache whose models are held in <paramref name="dtype"/> on <paramref name="device"/> (null:
    /// <see cref="Model.ModelDevice.Resolve"/> and its default dtype, resolved when the first model loads).
    /// </summary>
    /// <param name="dtype">The dtype models are loaded in; null: the device's default.</param>
    /// <param name="device">The device models are loaded on; null: resolved per load.</param>
    /// <param name="hashes">Weight-file hashes for provenance records (default: the user's cache folder).</param>
    public ModelCache(ScalarType? dtype = null, Device? device = null, WeightHashCache? hashes = null)
    {
        Dtype = dtype;
        Device = device;
        Hashes = hashes ?? new WeightHashCache();
    }

    /// <summary>The dtype models are loaded in; null: the device's default.</summary>
    public ScalarType? Dtype { get; }

    /// <summary>The device models are loaded on; null: resolved per load (DEBUG_DEVICE, else CUDA when available, else CPU).</summary>
    public Device? Device { get; }

    /// <summary>Where provenance records get their weight hashes.</summary>
    public WeightHashCache Hashes { get; }

    /// <summary>Raised after a model has been loaded (not when served from the cache), on the loading thread.</summary>
    public event Action<LoadedModel>? Loaded;

    /// <summary>The provenance record of a loaded model (weights hashed once per file version, see <see cref="Hashes"/>).</summary>
    public ModelProvenance Provenance(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Provenance(Hashes);
    }

    /// <summary>Returns the cached model, loading it first if needed.</summary>
    /// <exception cref="Model.Loading.ModelNotFoundException">The model is not on disk.</exception>
    /// <exception cref="InvalidOperationException">The reference is an endpoint model, which has no weights to load.</exception>
    public LoadedModel Get(ModelReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.IsEndpoint) reference.ResolveFolder(); // throws, naming the endpoint
        lock (_gate)
        {
            if (_models.TryGetValue(reference.DisplayName, out var cached))
            {
                // Two folders can share a display name (runs/a/final, runs/b/final): reuse only the same checkpoint.
                if (!cached.IsDisposed && (cached.Reference.Spec == reference.Spec || cached.Folder == reference.ResolveFolder()))
                    return cached;
                cached.Dispose();
                _models.Remove(reference.DisplayName);
            }
            var loaded = LoadedModel.Load(reference, Dtype, Device);
            _models[reference.DisplayName] = loaded;
            Loaded?.Invoke(loaded);
            return loaded;
        }
    }

    /// <summary>Loads models ahead of a run (e.g. to keep load time out of a benchmark).</summary>
    public void Preload(params string[] models)
    {
        foreach (var m in models) Get(ModelReference.Parse(m));
    }

    /// <summary>Display names of the models currently held.</summary>
    public IReadOnlyList<string> ListLoaded()
    {
        lock (_gate) return [.. _models.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Frees one model; returns false when it was not loaded.</summary>
    public bool Unload(string model)
    {
        string name = ModelReference.Parse(model).DisplayName;
        LoadedModel? loaded;
        lock (_gate)
        {
            if (!_models.Remove(name, out loaded)) return false;
        }
        loaded.Dispose();
        return true;
    }

    /// <summary>Frees every model.</summary>
    public void UnloadAll()
    {
        List<LoadedModel> all;
        lock (_gate)
        {
            all = [.. _models.Values];
            _models.Clear();
        }
        foreach (var m in all) m.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => UnloadAll();
}
