using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core;

/// <summary>
/// Tensor arithmetic with numbers, in forms that keep every TorchSharp <see cref="Scalar"/> alive until the native
/// call that reads it has returned.
/// </summary>
/// <remarks>
/// TorchSharp hands native code only a Scalar's handle. A Scalar that managed code never touches again after the
/// call starts (the implicit conversion in <c>t * 2.0</c>, or the <c>alpha = 1</c> that TorchSharp itself creates
/// for <c>a + b</c>) is garbage while native code still reads it; a collection on another thread then runs its
/// finalizer and frees it mid-call. That crashed about one test run in four (<c>toFloat</c> in Scalar.h) and could
/// as well have changed a number silently. Here each Scalar is either a static field (alive for the process) or a
/// <c>using</c> local disposed after the call. The repository's analyzer (DBG0001-DBG0003) rejects the unsafe forms
/// at build time, so new code has to come through here. Results are bit-identical to the operator forms: each
/// helper calls the same native kernel TorchSharp's operator calls.
/// </remarks>
public static class TensorMath
{
    // Never disposed: a static field keeps it reachable, so no finalizer can run while native code reads it.
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><c>a + b</c> (the operator creates an unreachable alpha Scalar inside TorchSharp).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a + b * alpha</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add(b, s);
    }

    /// <summary><c>a + value</c>, keeping an integer tensor integer.</summary>
    public static Tensor Plus(this Tensor a, long value)
    {
        using var s = value.ToScalar();
        return a.add(s, One);
    }

    /// <summary><c>a + value</c>.</summary>
    public static Tensor Plus(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.add(s, One);
    }

    /// <summary>In-place <c>a += b * alpha</c>.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b, double alpha = 1)
    {
        using var s = alpha.ToScalar();
        return a.add_(b, s);
    }

    /// <summary>In-place <c>a += value</c>.</summary>
    public static Tensor PlusInPlace(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.add_(s, One);
    }

    /// <summary><c>a - value</c>, keeping an integer tensor integer.</summary>
    public static Tensor Minus(this Tensor a, long value)
    {
        using var s = value.ToScalar();
        return a.sub(s);
    }

    /// <summary><c>a - value</c>.</summary>
    public static Tensor Minus(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.sub(s);
    }

    /// <summary><c>value - a</c>, computed as TorchSharp's operator does: <c>(-a) + value</c>.</summary>
    public static Tensor SubtractedFrom(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.negative().add(s, One);
    }

    /// <summary><c>a * value</c>.</summary>
    public static Tensor Times(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.mul(s);
    }

    /// <summary>In-place <c>a *= value</c>.</summary>
    public static Tensor TimesInPlace(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.mul_(s);
    }

    /// <summary><c>a / value</c>.</summary>
    public static Tensor Over(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.div(s);
    }

    /// <summary><c>value / a</c>, computed as TorchSharp's operator does: <c>reciprocal(a) * value</c>.</summary>
    public static Tensor DividedInto(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.reciprocal().mul(s);
    }

    /// <summary><c>a ** exponent</c> with an integer exponent.</summary>
    public static Tensor Power(this Tensor a, long exponent)
    {
        using var s = exponent.ToScalar();
        return a.pow(s);
    }

    /// <summary><c>a ** exponent</c>.</summary>
    public static Tensor Power(this Tensor a, double exponent)
    {
        using var s = exponent.ToScalar();
        return a.pow(s);
    }

    /// <summary><c>max(a, value)</c> elementwise, keeping an integer tensor integer.</summary>
    public static Tensor AtLeast(this Tensor a, long value)
    {
        using var s = value.ToScalar();
        return a.clamp_min(s);
    }

    /// <summary><c>max(a, value)</c> elementwise.</summary>
    public static Tensor AtLeast(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.clamp_min(s);
    }

    /// <summary>A copy of <paramref name="a"/> with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor FillMasked(this Tensor a, Tensor mask, double value)
    {
        using var s = value.ToScalar();
        return a.masked_fill(mask, s);
    }

    /// <summary>Writes <paramref name="value"/> into <paramref name="a"/> at <paramref name="indices"/>.</summary>
    public static Tensor PutInPlace(this Tensor a, double value, params TensorIndex[] indices)
    {
        using var s = value.ToScalar();
        return a.index_put_(s, indices);
    }

    /// <summary><c>a &gt; value</c>.</summary>
    public static Tensor GreaterThan(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.gt(s);
    }

    /// <summary><c>a &gt; value</c>, comparing integers as integers.</summary>
    public static Tensor GreaterThan(this Tensor a, long value)
    {
        using var s = value.ToScalar();
        return a.gt(s);
    }

    /// <summary><c>a &gt;= value</c>.</summary>
    public static Tensor AtLeastAsLarge(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.ge(s);
    }

    /// <summary><c>a &lt;= value</c>.</summary>
    public static Tensor AtMost(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.le(s);
    }

    /// <summary>
    /// <c>arange(start, stop, step)</c> as int64 on <paramref name="device"/> (null: the CPU; the one- and two-Scalar
    /// overloads create Scalars internally). Engine code passes the model's device (TensorFactoryScanTests checks).
    /// </summary>
    public static Tensor Range(long start, long stop, long step = 1, Device? device = null)
    {
        using var s0 = start.ToScalar();
        using var s1 = stop.ToScalar();
        using var s2 = step.ToScalar();
        return arange(s0, s1, s2, ScalarType.Int64, device: device ?? CPU);
    }

    /// <summary>Normal samples of <paramref name="shape"/> as <c>torch.normal(mean, std, shape)</c> draws them.</summary>
    public static Tensor Normal(double mean, double std, long[] shape, Generator? generator = null)
    {
        using var m = mean.ToScalar();
        using var s = std.ToScalar();
        return randn(shape, generator: generator).mul_(s).add_(m, One);
    }
}
