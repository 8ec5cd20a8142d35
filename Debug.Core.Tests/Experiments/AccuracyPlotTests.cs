using Debug.Core.Experiments;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>The accuracy plot's x axis has a tick at each length (or hop count) that ran, and nowhere else.</summary>
public sealed class AccuracyPlotTests
{
    private static CaseResult Case(int seqLen, int? hops, bool correct) => new()
    {
        Experiment = "e", Model = "m", SeqLen = seqLen, Hops = hops, SeedId = 0, Program = "p", Prompt = "p",
        Expected = "1", Predicted = correct ? "1" : "2", Correct = correct, RawOutput = correct ? "1" : "2",
    };

    [Fact(DisplayName = "Accuracy plot: ticks at lengths 2 and 5 only (not 2.2, 2.4, ...)")]
    public void TicksAtLengths()
    {
        var summary = AccuracySummary.Compute("range_tracking", [Case(5, null, true), Case(2, null, false), Case(2, null, true)], exactHops: false);
        AccuracyPlot.XTicks(summary, byHops: false).Should().Equal(2, 5);
        RenderedTicks(summary, byHops: false).Should().Equal((2.0, "2"), (5.0, "5"));
    }

    [Fact(DisplayName = "Accuracy plot: an exact-hops run at one length has ticks at its hops")]
    public void TicksAtHops()
    {
        var summary = AccuracySummary.Compute("variable_binding_hops", [.. new[] { 1, 2, 4 }.Select(h => Case(10, h, true))], exactHops: true);
        AccuracyPlot.XTicks(summary, byHops: true).Should().Equal(1, 2, 4);
        RenderedTicks(summary, byHops: true).Should().Equal((1.0, "1"), (2.0, "2"), (4.0, "4"));
    }

    // The x ticks the plot draws (rendering populates them), major and minor alike.
    private static List<(double, string)> RenderedTicks(AccuracySummary summary, bool byHops)
    {
        var plot = AccuracyPlot.Build(summary, byHops);
        plot.GetImageBytes(400, 300, ScottPlot.ImageFormat.Png);
        return [.. plot.Axes.Bottom.TickGenerator.Ticks.Select(t => (t.Position, t.Label))];
    }
}
