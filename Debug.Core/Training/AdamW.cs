using Debug.Core.Model.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter, decoupled weight decay) over named tensors. Written out rather than taken from
/// TorchSharp's optimizers because the engine holds plain tensors, not module parameters, and because its state is
/// then just two more named tensors per weight, saved as safetensors for resuming.
/// </summary>
internal sealed class AdamW : IDisposable
{
    private readonly IReadOnlyDictionary<string, Tensor> _weights;
    private readonly Dictionary<string, Tensor> _m = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _v = new(StringComparer.Ordinal);

    public AdamW(IReadOnlyDictionary<string, Tensor> weights, double beta1 = 0.9, double beta2 = 0.98, double eps = 1e-8)
    {
        _weights = weights;
        (Beta1, Beta2, Eps) = (beta1, beta2, eps);
        foreach (var (name, w) in weights)
        {
            _m[name] = zeros_like(w).DetachFromDisposeScope();
            _v[name] = zeros_like(w).DetachFromDisposeScope();
        }
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public long Step { get; set; }

    /// <summary>Applies one update. Norm gains and embeddings get no weight decay (decaying them only hurts).</summary>
    public void Update(double lr, double weightDecay)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Step++;
        double c1 = 1 - Math.Pow(Beta1, Step), c2 = 1 - Math.Pow(Beta2, Step);
        // Explicit `using` Scalars: they stay alive until each native call has read them (see TensorMath).
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var decay = (1 - lr * weightDecay).ToScalar();
        using var stepSize = (-lr / c1).ToScalar();
        foreach (var (name, w) in _weights)
        {
            var g = w.grad;
            if (g is null) continue;
            var m = _m[name];
            var v = _v[name];
            m.mul_(beta1).add_(g, oneMinusBeta1);
            v.mul_(beta2).addcmul_(g, g, oneMinusBeta2);
            if (w.dim() == 2 && !name.Contains("embed_tokens", StringComparison.Ordinal)) w.mul_(decay);
            var denom = v.Over(c2).sqrt_().PlusInPlace(Eps);
            w.addcdiv_(m, denom, stepSize);
        }
    }

    /// <summary>Scales gradients so their global L2 norm is at most <paramref name="maxNorm"/>; returns the norm before.</summary>
    public double ClipGradients(double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = _weights.Values.Select(w => w.grad).Where(g => g is not null).Select(g => g!).ToList();
        double norm = Math.Sqrt(grads.Sum(g => g.Power(2).sum().item<float>()));
        if (norm > maxNorm)
            foreach (var g in grads) g.TimesInPlace(maxNorm / (norm + 1e-6));
        return norm;
    }

    public void ZeroGradients()
    {
        foreach (var w in _weights.Values)
            if (w.grad is { } g) g.zero_();
    }

    /// <summary>Saves the moment estimates (and the step, in the metadata).</summary>
    public void Save(string path)
    {
        var all = _m.Select(kv => KeyValuePair.Create("m." + kv.Key, kv.Value))
            .Concat(_v.Select(kv => KeyValuePair.Create("v." + kv.Key, kv.Value)));
        SafetensorsWriter.Write(path, all, new Dictionary<string, string> { ["step"] = Step.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    /// <summary>Restores moments saved by <see cref="Save"/>.</summary>
    public void Load(string path, long step)
    {
        using var file = SafetensorsFile.Open(path);
        using var noGrad = no_grad();
        foreach (var name in _weights.Keys)
        {
            using var m = file.Load("m." + name, ScalarType.Float32);
            using var v = file.Load("v." + name, ScalarType.Float32);
            _m[name].copy_(m);
            _v[name].copy_(v);
        }
        Step = step;
    }

    public void Dispose()
    {
        foreach (var t in _m.Values.Concat(_v.Values)) t.Dispose();
    }
}
