using Debug.Core.Model.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Model;

/// <summary>
/// Takes tensors out of a checkpoint by their HuggingFace name, checks each shape against what the config implies,
/// and remembers which names were used so that a tensor nobody asked for is reported instead of silently ignored.
/// </summary>
internal sealed class WeightLoader(Checkpoint checkpoint, ScalarType dtype, string prefix = "")
{
    private readonly HashSet<string> _unused = new(checkpoint.TensorNames);

    public ScalarType Dtype => dtype;

    /// <summary>The model's device: every weight is moved there as it is loaded, and blocks create their buffers there.</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>When set, RoPE inverse frequencies are rounded through this dtype (see <see cref="Blocks.Rotary"/>).</summary>
    public ScalarType? RopeFrequencyDtype { get; init; }

    /// <summary>Every tensor handed out, so the model (or a failed load) can free them.</summary>
    public List<Tensor> Loaded { get; } = [];

    /// <summary>The same tensors by checkpoint name (without the GPT-2 prefix).</summary>
    public Dictionary<string, Tensor> ByName { get; } = new(StringComparer.Ordinal);

    public bool Has(string name) => _unused.Contains(prefix + name) || checkpoint.TensorNames.Contains(prefix + name);

    /// <summary>Loads <paramref name="name"/> in the compute dtype after checking its shape.</summary>
    public Tensor Take(string name, params long[] shape) => Take(name, dtype, shape);

    public Tensor Take(string name, ScalarType asType, params long[] shape)
    {
        var full = prefix + name;
        if (!checkpoint.TensorNames.Contains(full))
            throw new ModelArchitectureException($"missing tensor '{full}' (model_type {checkpoint.Config.ModelType}) in {checkpoint.Folder}");
        var info = checkpoint.GetInfo(full);
        if (!info.Shape.SequenceEqual(shape))
            throw new ModelArchitectureException(
                $"tensor '{full}' has shape [{string.Join(", ", info.Shape)}] but the config implies [{string.Join(", ", shape)}]");
        _unused.Remove(full);
        var t = checkpoint.Load(full, asType);
        if (Device.type != DeviceType.CPU) t = t.to(Device);
        t = t.DetachFromDisposeScope();
        Loaded.Add(t);
        ByName[name] = t;
        return t;
    }

    /// <summary>Loads a tensor that only some configurations have (biases).</summary>
    public Tensor? TakeIf(bool present, string name, params long[] shape) => present ? Take(name, shape) : null;

    /// <summary>Marks names that are known to carry no weights (e.g. GPT-2's stored causal-mask buffers).</summary>
    public void Ignore(Func<string, bool> predicate) => _unused.RemoveWhere(n => predicate(n));

    /// <summary>Fails naming the first tensors that were in the checkpoint but never loaded.</summary>
    public void EnsureAllUsed()
    {
        if (_unused.Count == 0) return;
        var names = _unused.Order(StringComparer.Ordinal).Take(5).ToList();
        throw new ModelArchitectureException(
            $"unexpected tensor(s) in checkpoint for model_type {checkpoint.Config.ModelType}: {string.Join(", ", names)}" +
            (_unused.Count > names.Count ? $" and {_unused.Count - names.Count} more" : ""));
    }
}
