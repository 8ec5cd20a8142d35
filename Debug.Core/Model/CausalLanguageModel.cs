using Debug.Core.Interventions;
using Debug.Core.Model.Architectures;
using Debug.Core.Model.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Model;

/// <summary>
/// A decoder-only language model loaded from a HuggingFace checkpoint, with TransformerLens-style hook points.
/// Subclasses (one file per architecture) supply embedding, block, final norm and unembedding; this class runs the
/// shared loop: positions and masks for left-padded batches, hooks, a KV cache and logits only where asked.
/// </summary>
public abstract partial class CausalLanguageModel : IDisposable
{
    /// <summary>Architectures <see cref="Load(string, ScalarType)"/> understands.</summary>
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["qwen3", "qwen2", "llama", "gpt2", "gemma2"];

    /// <summary>The checkpoint's config.</summary>
    public ModelConfig Config { get; }

    /// <summary>The dtype weights are held and computed in (float32 or bfloat16).</summary>
    public ScalarType ComputeDtype { get; }

    /// <summary>The device every weight lives on and every tensor of a forward pass is created on (<see cref="ModelDevice"/>).</summary>
    public Device Device { get; private set; } = CPU;

    /// <summary>Number of decoder blocks.</summary>
    public int NumLayers => Config.NumLayers;

    /// <summary>Number of query heads.</summary>
    public int NumHeads => Config.NumAttentionHeads;

    /// <summary>Per-head dimension.</summary>
    public int HeadDim => Config.HeadDim;

    /// <summary>Weights by HuggingFace name (tied weights appear once), for training and saving.</summary>
    internal IReadOnlyDictionary<string, Tensor> NamedWeights { get; private set; } = new Dictionary<string, Tensor>();

    /// <summary>When true, forward passes record autograd graphs (training); inference leaves it false.</summary>
    internal bool GradientsEnabled { get; set; }

    // Attribution patching records gradients on a model other threads may be running inference on (the tests share
    // fixture models), so it switches them on for its own thread only, not through the model-wide flag.
    [ThreadStatic] private static bool t_gradientsOnThisThread;

    /// <summary>Until disposed, forward passes on the calling thread record autograd graphs, on every model.</summary>
    internal static IDisposable RecordGradientsOnThisThread()
    {
        bool was = t_gradientsOnThisThread;
        t_gradientsOnThisThread = true;
        return new GradientScope(was);
    }

    private sealed class GradientScope(bool was) : IDisposable
    {
        public void Dispose() => t_gradientsOnThisThread = was;
    }

    /// <summary>Every weight tensor, so <see cref="Dispose"/> can free them.</summary>
    private protected List<Tensor> Weights { get; } = [];

    private protected CausalLanguageModel(ModelConfig config, ScalarType dtype)
    {
        Config = config;
        ComputeDtype = dtype;
    }

    /// <summary>
    /// Opens the checkpoint in <paramref name="folder"/> and builds the architecture its config.json names, holding
    /// weights in <paramref name="computeDtype"/> (float32 or bfloat16).
    /// </summary>
    /// <exception cref="ModelArchitectureException">unknown model_type, missing/unexpected/misshapen tensor.</exception>
    public static CausalLanguageModel Load(string folder, ScalarType computeDtype = ScalarType.Float32) =>
        Load(folder, computeDtype, ropeFrequencyDtype: null, device: null);

    /// <summary>
    /// Loads onto <paramref name="device"/> (null: <see cref="ModelDevice.Resolve"/>, i.e. DEBUG_DEVICE, else CUDA when
    /// available, else the CPU) in <paramref name="computeDtype"/> (null: <see cref="ModelDevice.DefaultDtype"/>).
    /// </summary>
    /// <exception cref="ModelArchitectureException">unknown model_type, missing/unexpected/misshapen tensor.</exception>
    public static CausalLanguageModel Load(string folder, Device? device, ScalarType? computeDtype = null)
    {
        var resolved = ModelDevice.Resolve(device);
        return Load(folder, computeDtype ?? ModelDevice.DefaultDtype(resolved), ropeFrequencyDtype: null, resolved);
    }

    /// <summary>
    /// As <see cref="Load(string, ScalarType)"/>; <paramref name="ropeFrequencyDtype"/> rounds the RoPE inverse
    /// frequencies through that dtype, reproducing a transformers model that was cast with <c>.to(dtype)</c> (which
    /// casts the inv_freq buffer too). Only reference comparisons need it.
    /// </summary>
    internal static CausalLanguageModel Load(string folder, ScalarType computeDtype, ScalarType? ropeFrequencyDtype, Device? device = null)
    {
        device = ModelDevice.Resolve(device);
        TorchRuntime.EnsureLoaded();
        if (computeDtype is not (ScalarType.Float32 or ScalarType.BFloat16))
            throw new ArgumentException($"compute dtype must be Float32 or BFloat16, not {computeDtype}", nameof(computeDtype));
        using var checkpoint = Checkpoint.Open(folder);
        var config = checkpoint.Config;
        using var scope = NewDisposeScope();
        // GPT-2 checkpoints exist both with and without the "transformer." prefix.
        var prefix = config.ModelType == "gpt2" && checkpoint.TensorNames.Any(n => n.StartsWith("transformer.", StringComparison.Ordinal))
            ? "transformer." : "";
        var w = new WeightLoader(checkpoint, computeDtype, prefix) { RopeFrequencyDtype = ropeFrequencyDtype, Device = device };
        try
        {
            CausalLanguageModel model = config.ModelType switch
            {
                "qwen3" => new Qwen3(config, w),
                "qwen2" => new Qwen2(config, w),
                "llama" => new Llama(config, w),
                "gemma2" => new Gemma2(config, w),
                "gpt2" => new Gpt2(config, w),
                _ => throw new ModelArchitectureException(
                    $"unknown model_type {config.ModelType} (supported: {string.Join(", ", SupportedModelTypes)})"),
            };
            w.EnsureAllUsed();
            model.Device = device;
            model.Weights.AddRange(w.Loaded);
            model.NamedWeights = w.ByName;
            return model;
        }
        catch
        {
            foreach (var t in w.Loaded) t.Dispose();
            throw;
        }
    }

    /// <summary>Token (and, for GPT-2, position) embeddings: the input of block 0.</summary>
    private protected abstract Tensor Embed(Tensor inputIds, Tensor positionIds, HookSet? hooks);

    /// <summary>One decoder block, residual stream in and out.</summary>
    private protected abstract Tensor Block(int layer, Tensor x, AttentionContext ctx, HookSet? hooks);

    /// <summary>The final norm.</summary>
    private protected abstract Tensor FinalNorm(Tensor x);

    /// <summary>Unembedding (with any final soft-capping).</summary>
    private protected abstract Tensor Unembed(Tensor x);

    /// <summary>Rotary embedding shared by all layers, or null (GPT-2).</summary>
    private protected virtual Blocks.Rotary? Rotary => null;

    /// <summary>Sliding window of the sliding layers, if any.</summary>
    private protected virtual int? SlidingWindow => null;

    /// <summary>
    /// Runs the model. <paramref name="inputIds"/> [B, T] int64, optionally left-padded with
    /// <paramref name="attentionMask"/> [B, T] (1 = token); position ids default to cumsum(mask) - 1 clamped at 0.
    /// Returns float32 logits [B, P, vocab] at <paramref name="logitPositions"/> (null: all T positions).
    /// <paramref name="hooks"/> reads and writes activations; null costs nothing.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null,
        IReadOnlyList<int>? logitPositions = null, HookSet? hooks = null) =>
        Forward(inputIds, attentionMask, positionIds, logitPositions, hooks, cache: null);

    /// <summary>As the other overload, appending keys and values to <paramref name="cache"/>; with a cache,
    /// <paramref name="attentionMask"/> covers the cached tokens and the new ones.</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask, Tensor? positionIds, IReadOnlyList<int>? logitPositions,
        HookSet? hooks, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        // Inference never needs gradients; the trainer switches them on (see GradientsEnabled).
        using var gradMode = GradientsEnabled || t_gradientsOnThisThread ? enable_grad() : no_grad();
        long b = inputIds.shape[0], t = inputIds.shape[1], past = cache?.Length ?? 0;
        if (positionIds is null)
        {
            positionIds = attentionMask is null
                ? TensorMath.Range(past, past + t, device: Device).unsqueeze(0).expand(b, t)
                : attentionMask.to_type(ScalarType.Int64).cumsum(1).Minus(1).AtLeast(0).narrow(1, past, t);
        }
        var (full, sliding) = AttentionContext.Masks(attentionMask, b, past, t, ComputeDtype, SlidingWindow, Device);
        Tensor? cos = null, sin = null;
        if (Rotary is not null) (cos, sin) = Rotary.CosSin(positionIds, ComputeDtype);
        var ctx = new AttentionContext { Cos = cos, Sin = sin, FullMask = full, SlidingMask = sliding, Cache = cache };

        var x = Embed(inputIds, positionIds, hooks);
        for (int layer = 0; layer < NumLayers; layer++)
        {
            if (hooks is not null) x = hooks.Apply(HookPoint.ResidPre(layer), x);
            x = Block(layer, x, ctx, hooks);
            if (hooks is not null) x = hooks.Apply(HookPoint.ResidPost(layer), x);
        }
        Tensor? index = logitPositions is null ? null
            : tensor(logitPositions.Select(p => (long)(p < 0 ? t + p : p)).ToArray(), ScalarType.Int64, device: Device);
        // Norm and unembed only the positions asked for: the LM head dominates the cost for large vocabularies.
        if (index is not null && hooks is null) x = x.index_select(1, index);
        x = FinalNorm(x);
        if (hooks is not null)
        {
            x = hooks.Apply(HookPoint.FinalNormalized, x);
            if (index is not null) x = x.index_select(1, index);
        }
        return Unembed(x).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Frees the weights.</summary>
    public void Dispose()
    {
        foreach (var w in Weights) w.Dispose();
        Weights.Clear();
        GC.SuppressFinalize(this);
    }
}
