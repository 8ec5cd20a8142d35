using Debug.Core.Experiments;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>The heartbeat writes the latest status every interval, with or without new reports, and nothing after it stops.</summary>
public sealed class ProgressHeartbeatTests
{
    [Fact(DisplayName = "Heartbeat: a line per interval with the latest status and the elapsed time, even when nothing reported")]
    public void BeatsEveryInterval()
    {
        var time = new FakeTimeProvider();
        var lines = new List<string>();
        using var beat = new ProgressHeartbeat("Row(model: m)", lines.Add, "loading m", TimeSpan.FromSeconds(10), time);

        time.Advance(TimeSpan.FromSeconds(9));
        lines.Should().BeEmpty("the first line comes after one interval");
        time.Advance(TimeSpan.FromSeconds(1));
        lines.Should().Equal("Row(model: m): loading m (10 s)");

        beat.As<string>().Report("tried 4 programs");
        time.Advance(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(10));
        lines.Should().Equal("Row(model: m): loading m (10 s)", "Row(model: m): tried 4 programs (20 s)", "Row(model: m): tried 4 programs (30 s)");
    }

    [Fact(DisplayName = "Heartbeat: nothing is written after Dispose")]
    public void SilentAfterDispose()
    {
        var time = new FakeTimeProvider();
        var lines = new List<string>();
        var beat = new ProgressHeartbeat("Row", lines.Add, interval: TimeSpan.FromSeconds(10), time: time);
        time.Advance(TimeSpan.FromSeconds(10));
        beat.Dispose();
        time.Advance(TimeSpan.FromSeconds(60));
        lines.Should().ContainSingle();
    }

    [Fact(DisplayName = "Heartbeat: a writer that throws silences it instead of ending the process")]
    public void ThrowingWriterStopsBeats()
    {
        var time = new FakeTimeProvider();
        int calls = 0;
        using var beat = new ProgressHeartbeat("Row", _ => { calls++; throw new InvalidOperationException("no active test"); },
            interval: TimeSpan.FromSeconds(10), time: time);
        time.Advance(TimeSpan.FromSeconds(30));
        calls.Should().Be(1);
    }

    [Fact(DisplayName = "Heartbeat: a non-positive interval is refused by name")]
    public void RefusesZeroInterval()
    {
        var act = () => new ProgressHeartbeat("Row", _ => { }, interval: TimeSpan.Zero);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("interval");
    }
}
