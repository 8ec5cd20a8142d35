using Debug.Core.Model;
using Debug.Core.Tokenization;

namespace Debug.Core.Experiments;

/// <summary>A model and its tokenizer, loaded once and shared by every run that names it.</summary>
public sealed class LoadedModel : IDisposable
{
    private readonly Lock _gate = new();
    private ModelProvenance? _provenance;

    internal LoadedModel(ModelReference reference, string folder, CausalLanguageModel model, ModelTokenizer tokenizer, TimeSpan loadTime = default)
    {
        LoadTime = loadTime;
        ParameterCount = model.NamedWeights.Values.Sum(w => w.numel());
        Reference = reference;
        Folder = folder;
        Model = model;
        Tokenizer = tokenizer;
        // Pad with the tokenizer's pad token when it has one; a finished row's pad never reaches the output.
        PadId = tokenizer.PadId ?? model.Config.PadTokenId ?? tokenizer.EosId ?? 0;
        EosIds = [.. model.Config.EosTokenIds.Concat(tokenizer.EosId is int e ? [e] : []).Distinct()];
    }

    /// <summary>The model as it was named.</summary>
    public ModelReference Reference { get; }

    /// <summary>The checkpoint folder it was read from.</summary>
    public string Folder { get; }

    /// <summary>The network (throws nothing after <see cref="Dispose"/>, but its weights are gone).</summary>
    public CausalLanguageModel Model { get; }

    /// <summary>The checkpoint's tokenizer.</summary>
    public ModelTokenizer Tokenizer { get; }

    /// <summary>Token used for left padding.</summary>
    public int PadId { get; }

    /// <summary>Tokens that end a completion: the config's EOS ids and the tokenizer's EOS.</summary>
    public IReadOnlyList<int> EosIds { get; }

    /// <summary>How long loading the tokenizer and the weights took.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>Parameters of the model (tied weights once).</summary>
    public long ParameterCount { get; }

    /// <summary>E.g. <c>model loaded in 5.9 s (596,049,920 parameters, Float32)</c>.</summary>
    public string LoadedLine => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"model loaded in {LoadTime.TotalSeconds:F1} s ({ParameterCount:N0} parameters, {Model.ComputeDtype})");

    /// <summary>Folder, HF snapshot, weight hashes, dtype and Debug build of this model; computed on first use, then kept.</summary>
    public ModelProvenance Provenance(WeightHashCache hashes)
    {
        lock (_gate) return _provenance ??= ModelProvenance.Of(this, hashes);
    }

    /// <summary>Whether <see cref="Dispose"/> has freed the weights.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>
    /// Loads the model named by <paramref name="reference"/> and its tokenizer, on <paramref name="device"/> (null:
    /// <see cref="ModelDevice.Resolve"/>) in <paramref name="dtype"/> (null: the device's default).
    /// </summary>
    /// <exception cref="Model.Loading.ModelNotFoundException">The model is not on disk.</exception>
    public static LoadedModel Load(ModelReference reference, TorchSharp.torch.ScalarType? dtype = null, TorchSharp.torch.Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string folder = reference.ResolveFolder();
        // Tokenizer first: it is cheap and its errors are clearer than a half-loaded model's.
        var tokenizer = ModelTokenizer.FromFolder(folder);
        var model = CausalLanguageModel.Load(folder, ModelDevice.Resolve(device), dtype);
        return new LoadedModel(reference, folder, model, tokenizer, watch.Elapsed);
    }

    /// <summary>Frees the model's native weight tensors.</summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        Model.Dispose();
        IsDisposed = true;
    }
}
