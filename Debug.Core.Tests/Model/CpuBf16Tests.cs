using Debug.Core.Model.Blocks;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Model;

/// <summary>When bf16 products leave libtorch's bf16 GEMM for the float32 route.</summary>
public sealed class CpuBf16Tests
{
    [Theory(DisplayName = "bf16 GEMM: native only with AVX512-BF16 or AMX-BF16, unless overridden")]
    [InlineData(null, "fma avx2", false)]
    [InlineData(null, "fma avx2 avx512f avx512_bf16", true)]
    [InlineData(null, "avx2 amx_tile amx_bf16", true)]
    [InlineData("", "avx2", false)]
    [InlineData("native", "avx2", true)]
    [InlineData(" Float32 ", "avx512_bf16", false)]
    public void Decides(string? overrideValue, string flags, bool native) =>
        CpuBf16.Decide(overrideValue, flags.Split(' ').ToHashSet()).Should().Be(native);

    [Fact(DisplayName = "bf16 GEMM: an unknown override names the variable")]
    public void BadOverride()
    {
        var act = () => CpuBf16.Decide("fast", new HashSet<string>());
        act.Should().Throw<ArgumentException>().WithMessage("*DEBUG_BF16_GEMM*'fast'*");
    }
}
