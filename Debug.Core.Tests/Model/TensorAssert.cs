using TorchSharp;
using static TorchSharp.torch;
using Xunit.Sdk;

namespace Debug.Core.Tests.Model;

/// <summary>Elementwise comparison whose failure names the tensor, the worst index and the difference.</summary>
internal static class TensorAssert
{
    public const double Tolerance = 1e-4;

    /// <summary>Max |actual - expected|, the flat index where it occurs and its multi-index.</summary>
    public static (double Diff, string Where, float Actual, float Expected) Worst(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to_type(ScalarType.Float32).reshape(expected.shape);
        var e = expected.to_type(ScalarType.Float32);
        var diff = (a - e).abs().flatten();
        // NaN must fail: make it the worst entry.
        diff = diff.nan_to_num(nan: float.PositiveInfinity);
        long flat = diff.argmax().item<long>();
        double d = diff[flat].item<float>();
        var index = new long[expected.shape.Length];
        long rest = flat;
        for (int i = index.Length - 1; i >= 0; i--)
        {
            index[i] = rest % expected.shape[i];
            rest /= expected.shape[i];
        }
        return (d, $"[{string.Join(", ", index)}]", a.flatten()[flat].item<float>(), e.flatten()[flat].item<float>());
    }

    public static double Close(string name, Tensor actual, Tensor expected, double tol = Tolerance, Func<string>? extra = null)
    {
        if (!actual.shape.Select(x => x).Where(x => x != 1).SequenceEqual(expected.shape.Where(x => x != 1)))
            throw new XunitException($"{name}: shape [{string.Join(", ", actual.shape)}] vs reference [{string.Join(", ", expected.shape)}]");
        var (d, where, a, e) = Worst(actual, expected);
        if (!(d <= tol))
            throw new XunitException($"{name}: max abs diff {d:G4} > {tol:G2} at {where} (ours {a:G8}, reference {e:G8})"
                + (extra is null ? "" : "\n" + extra()));
        return d;
    }
}
