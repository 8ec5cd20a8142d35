using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Reports;

public class WilsonIntervalTests
{
    // Reference values computed independently in Python from the closed form (Wilson 1927).
    [Theory(DisplayName = "Wilson 95% interval matches the closed form")]
    [InlineData(8, 10, 0.4901625, 0.9433178)]
    [InlineData(0, 10, 0.0, 0.2775328)]
    [InlineData(10, 10, 0.7224672, 1.0)]
    [InlineData(50, 100, 0.4038315, 0.5961685)]
    [InlineData(95, 100, 0.8882495, 0.9784563)]
    public void MatchesClosedForm(int k, int n, double lower, double upper)
    {
        var w = WilsonInterval.Compute(k, n);
        w.Lower.Should().BeApproximately(lower, 1e-6);
        w.Upper.Should().BeApproximately(upper, 1e-6);
        w.Proportion.Should().BeApproximately((double)k / n, 1e-12);
    }

    [Fact(DisplayName = "Wilson interval is exactly 0 or 1 at the ends")]
    public void ExactEnds()
    {
        WilsonInterval.Compute(0, 37).Lower.Should().Be(0);
        WilsonInterval.Compute(37, 37).Upper.Should().Be(1);
    }

    [Fact(DisplayName = "Wilson interval rejects successes outside 0..n")]
    public void RejectsBadCounts()
    {
        FluentActions.Invoking(() => WilsonInterval.Compute(11, 10)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("successes");
        FluentActions.Invoking(() => WilsonInterval.Compute(0, -1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}

public class AtomicFileTests
{
    [Fact(DisplayName = "Atomic write replaces the file and leaves no temp file behind")]
    public void ReplacesWithoutTemp()
    {
        string dir = Path.Combine(Path.GetTempPath(), "atomic-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "sub", "out.json");
            AtomicFile.WriteAllText(path, "one");
            AtomicFile.WriteAllText(path, "two");
            File.ReadAllText(path).Should().Be("two");
            Directory.GetFiles(Path.Combine(dir, "sub")).Should().ContainSingle();
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact(DisplayName = "A writer that throws leaves the old file intact")]
    public void FailedWriteKeepsOld()
    {
        string dir = Path.Combine(Path.GetTempPath(), "atomic-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "out.txt");
            AtomicFile.WriteAllText(path, "old");
            FluentActions.Invoking(() => AtomicFile.Write(path, s => { s.WriteByte(1); throw new IOException("disk full"); }))
                .Should().Throw<IOException>();
            File.ReadAllText(path).Should().Be("old");
            Directory.GetFiles(dir).Should().ContainSingle();
        }
        finally { Directory.Delete(dir, true); }
    }
}
