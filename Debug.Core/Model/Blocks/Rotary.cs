using Debug.Core.Model.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

/// <summary>
/// Rotary position embedding with HF's conventions: inverse frequencies in float32, angles from position_ids
/// (so left padding shifts nothing), the rotate-half layout, and the RoPE scalings default, linear, llama3 and
/// dynamic NTK. Partial rotary factors rotate only the first part of each head.
/// </summary>
internal sealed class Rotary
{
    private readonly RopeConfig _rope;
    private readonly int _dim;
    private readonly int _maxPositions;
    private readonly Tensor _invFreq;

    public Rotary(RopeConfig rope, int headDim, int maxPositions, ScalarType? frequencyDtype = null, Device? device = null)
    {
        _rope = rope;
        _dim = (int)(headDim * rope.PartialRotaryFactor);
        _maxPositions = maxPositions;
        _invFreq = rope.Type switch
        {
            "default" or "dynamic" => BaseInverseFrequencies(rope.Theta),
            "linear" => BaseInverseFrequencies(rope.Theta).Over(Factor()),
            "llama3" => Llama3(BaseInverseFrequencies(rope.Theta)),
            _ => throw new ModelArchitectureException(
                $"unsupported RoPE type '{rope.Type}' (supported: default, linear, llama3, dynamic)"),
        };
        // HF keeps inv_freq as a float32 buffer, but `model.to(bfloat16)` rounds it; a reference made that way needs the same.
        if (frequencyDtype is { } fd) _invFreq = _invFreq.to_type(fd).to_type(ScalarType.Float32);
        // Computed on the CPU once at load (exact float32 math wherever the model runs), then kept on the model's device.
        if (device is not null && device.type != DeviceType.CPU) _invFreq = _invFreq.to(device);
        _invFreq = _invFreq.DetachFromDisposeScope();
    }

    private double Factor() => _rope.Factor;

    private Tensor BaseInverseFrequencies(double theta)
    {
        using var scope = NewDisposeScope();
        var exponents = TensorMath.Range(0, _dim, 2, device: CPU).to_type(ScalarType.Float32).Over(_dim);
        return pow(tensor((float)theta, device: CPU), exponents).DividedInto(1.0).MoveToOuterDisposeScope();
    }

    // Llama 3.1: long wavelengths are slowed by `factor`, short ones kept, the band between blended smoothly.
    private Tensor Llama3(Tensor invFreq)
    {
        using var scope = NewDisposeScope();
        double factor = Factor(), low = _rope.LowFreqFactor, high = _rope.HighFreqFactor;
        double original = _rope.OriginalMaxPositionEmbeddings ?? 8192;
        double lowWavelen = original / low, highWavelen = original / high;
        var wavelen = invFreq.DividedInto(2 * Math.PI);
        var scaled = where(wavelen.GreaterThan(lowWavelen), invFreq.Over(factor), invFreq);
        var smooth = wavelen.DividedInto(original).Minus(low).Over(high - low);
        var smoothed = (smooth.SubtractedFrom(1) * scaled).Over(factor).Plus(smooth * scaled);
        var medium = wavelen.AtLeastAsLarge(highWavelen).logical_and(wavelen.AtMost(lowWavelen));
        return where(medium, smoothed, scaled).MoveToOuterDisposeScope();
    }

    /// <summary>cos and sin of shape [B, 1, T, rotaryDim] in <paramref name="dtype"/> for position ids [B, T].</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var invFreq = _invFreq;
        if (_rope.Type == "dynamic")
        {
            // Dynamic NTK raises the base once the sequence outgrows the original context.
            long seqLen = positionIds.max().item<long>() + 1;
            long original = _rope.OriginalMaxPositionEmbeddings ?? _maxPositions;
            if (seqLen > original)
            {
                double f = Factor();
                double theta = _rope.Theta * Math.Pow(f * seqLen / original - (f - 1), _dim / (double)(_dim - 2));
                invFreq = BaseInverseFrequencies(theta).to(positionIds.device);
            }
        }
        var freqs = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * invFreq; // [B, T, dim/2]
        var emb = cat([freqs, freqs], -1).unsqueeze(1);
        return (emb.cos().to_type(dtype).MoveToOuterDisposeScope(), emb.sin().to_type(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Rotates x [B, H, T, D] (the first rotaryDim channels when the factor is partial).</summary>
    public Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long d = x.shape[^1];
        var rot = _dim == d ? x : x.narrow(-1, 0, _dim);
        var half = _dim / 2;
        var rotated = cat([-rot.narrow(-1, half, half), rot.narrow(-1, 0, half)], -1);
        var y = (rot * cos).Plus(rotated * sin);
        if (_dim != d) y = cat([y, x.narrow(-1, _dim, d - _dim)], -1);
        return y.MoveToOuterDisposeScope();
    }
}
