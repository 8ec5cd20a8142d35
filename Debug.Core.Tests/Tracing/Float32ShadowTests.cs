using Debug.Core.Interventions;
using Debug.Core.Model;
using Debug.Core.Model.Blocks;
using Debug.Core.Tests.Model.Loading;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Tracing;

/// <summary>
/// The float32 weight copies a bf16 sweep runs on: the same numbers as the per-call float32 route, for products of
/// any size, and a bf16 sweep with them that still agrees with the naive method.
/// </summary>
public sealed class Float32ShadowTests(ITestOutputHelper output)
{
    [Fact(DisplayName = "Float32 shadow: bf16 products equal the per-call float32 route bit for bit, and free on dispose")]
    public void SameAsFloat32Route()
    {
        using var model = CausalLanguageModel.Load(FixturePaths.Model("qwen3"), ScalarType.BFloat16);
        using var scope = NewDisposeScope();
        var weight = model.NamedWeights["model.layers.0.mlp.up_proj.weight"];
        var many = randn(3, 40, weight.shape[1], generator: new TorchSharp.torch.Generator(7)).to_type(ScalarType.BFloat16);
        var few = many.narrow(1, 0, 5);
        var routeMany = Linear.Apply(many, weight); // 120 rows: the float32 route
        var manualFew = nn.functional.linear(few.to_type(ScalarType.Float32), weight.to_type(ScalarType.Float32)).to_type(ScalarType.BFloat16);

        Tensor shadowMany, shadowFew;
        using (var shadow = Float32Shadow.TryOpen(model))
        {
            if (CpuBf16.HasNativeGemm)
            {
                shadow.Should().BeNull("a CPU with bf16 units keeps libtorch's native bf16 GEMM");
                return;
            }
            shadow.Should().NotBeNull("a bf16 CPU model of this size fits");
            Float32Shadow.Current.Should().BeSameAs(shadow);
            shadowMany = Linear.Apply(many, weight);
            shadowFew = Linear.Apply(few, weight); // 15 rows: native bf16 GEMM without the shadow
            shadow!.Of(weight)!.dtype.Should().Be(ScalarType.Float32);
        }
        Float32Shadow.Current.Should().BeNull("disposing restores the enclosing scope");
        shadowMany.dtype.Should().Be(ScalarType.BFloat16);
        routeMany.eq(shadowMany).all().item<bool>().Should().BeTrue("the shadow runs the same float32 GEMM on the same values");
        manualFew.eq(shadowFew).all().item<bool>().Should().BeTrue("few rows take the float32 GEMM too");
    }

    [Fact(DisplayName = "Float32 shadow: declined for float32 models")]
    public void DeclinedForFloat32()
    {
        using var model = CausalLanguageModel.Load(FixturePaths.Model("qwen3"));
        using var shadow = Float32Shadow.TryOpen(model);
        shadow.Should().BeNull();
        Float32Shadow.Current.Should().BeNull();
    }

    [Fact(DisplayName = "bf16 fast sweep (float32 shadow) agrees with the bf16 naive method within bf16 rounding")]
    public void Bf16SweepAgreesWithNaive()
    {
        using var model = CausalLanguageModel.Load(FixturePaths.Model("qwen3"), ScalarType.BFloat16);
        var f = TracingFixtures.Get("qwen3");
        var pair = TracingFixtures.Pair(f);
        var cells = PatchCell.Grid(PatchKind.ResidPost, f.Layers, Enumerable.Range(0, f.T));
        using var fast = PatchSweep.Run(model, pair, cells);
        using var naive = NaivePatching.Run(model, pair, cells);
        double range = fast.Baseline.CleanLogitRange;
        double worst = fast.Metrics.Zip(naive.Metrics).Max(m => Math.Abs(m.First.LogitDiff - m.Second.LogitDiff)) / range;
        output.WriteLine($"bf16: {cells.Count} cells, max |logit diff fast - naive| / clean logit range {worst:G3}");
        // bf16 keeps 8 bits of mantissa (relative step 2^-8 = 0.0039); the two methods differ only in summation order
        // and in where they round, so their logit differences stay within a few steps of the logit range.
        worst.Should().BeLessThan(0.02);
        fast.Metrics.Zip(naive.Metrics).Count(m => m.First.PatchedTop != m.Second.PatchedTop).Should().BeLessThanOrEqualTo(cells.Count / 20,
            "top tokens may swap only where two logits tie within bf16 rounding");
    }
}
