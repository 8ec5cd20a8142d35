using Debug.Core;
using FluentAssertions;
using TorchSharp;
using Xunit;

namespace Debug.Core.Tests.Runtime;

public class TorchLoadsTests
{
    [Fact(DisplayName = "TorchSharp's native backend loads and multiplies matrices")]
    public void MatmulRuns()
    {
        TorchRuntime.EnsureLoaded().Should().StartWith("2.10");
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        var b = torch.tensor(new float[] { 5, 6, 7, 8 }, new long[] { 2, 2 });
        var c = torch.matmul(a, b).data<float>().ToArray();
        c.Should().Equal(19f, 22f, 43f, 50f);
    }
}
