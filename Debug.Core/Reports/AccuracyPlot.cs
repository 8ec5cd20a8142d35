using ScottPlot;

namespace Debug.Core.Reports;

/// <summary>
/// Accuracy against program length, one line per model (per model and hops for exact-hops runs), with the 95%
/// Wilson interval as a shaded band. An exact-hops run at a single length is drawn against hops instead.
/// </summary>
public static class AccuracyPlot
{
    /// <summary>
    /// The x values of the plot, ascending and distinct: the lengths that ran, or the hops for an exact-hops run at one
    /// length. The x axis has a tick at each and nowhere else.
    /// </summary>
    public static double[] XTicks(AccuracySummary summary, bool byHops)
    {
        ArgumentNullException.ThrowIfNull(summary);
        bool againstHops = byHops && summary.Groups.Select(g => g.SeqLen).Distinct().Count() == 1;
        return [.. summary.Groups.Select(g => againstHops ? (double)(g.Hops ?? 0) : g.SeqLen).Distinct().Order()];
    }

    /// <summary>Renders the plot as PNG bytes.</summary>
    public static byte[] Render(AccuracySummary summary, bool byHops, int width = 800, int height = 500) =>
        Build(summary, byHops).GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>The plot before rendering (tests read its axes).</summary>
    internal static Plot Build(AccuracySummary summary, bool byHops)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        bool againstHops = byHops && summary.Groups.Select(g => g.SeqLen).Distinct().Count() == 1;
        Func<GroupStat, double> x = againstHops ? g => g.Hops ?? 0 : g => g.SeqLen;
        var series = summary.Groups
            .GroupBy(g => byHops && !againstHops ? $"{g.Model} hops={g.Hops}" : g.Model)
            .ToList();
        for (int i = 0; i < series.Count; i++)
        {
            var points = series[i].OrderBy(x).ToList();
            double[] xs = [.. points.Select(x)];
            double[] acc = [.. points.Select(p => p.Stat.Accuracy)];
            var color = palette.GetColor(i);
            if (xs.Length > 1)
            {
                var band = plot.Add.FillY(xs, [.. points.Select(p => p.Stat.CiLow)], [.. points.Select(p => p.Stat.CiHigh)]);
                band.FillColor = color.WithAlpha(0.2);
                band.LineWidth = 0;
            }
            else
            {
                // A single length has no band to draw: show the interval as a vertical segment instead.
                var bar = plot.Add.Line(xs[0], points[0].Stat.CiLow, xs[0], points[0].Stat.CiHigh);
                bar.Color = color.WithAlpha(0.5);
                bar.LineWidth = 6;
            }
            var line = plot.Add.Scatter(xs, acc);
            line.Color = color;
            line.LegendText = series[i].Key;
        }
        // Ticks at the lengths (or hops) that ran, and only there: automatic ticks label 2.2, 2.4, ... between 2 and 5.
        double[] ticks = XTicks(summary, byHops);
        if (ticks.Length > 0)
        {
            plot.Axes.Bottom.SetTicks(ticks, [.. ticks.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            // Half a unit of margin, so the first and last points are not drawn on the frame.
            plot.Axes.SetLimitsX(ticks[0] - 0.5, ticks[^1] + 0.5);
        }
        string axis = againstHops ? $"hops (seqLen {summary.Groups[0].SeqLen})" : "sequence length";
        plot.Title($"{summary.Experiment}: accuracy vs {(againstHops ? "hops" : "length")} (95% Wilson interval)");
        plot.XLabel(axis);
        plot.YLabel("accuracy");
        plot.Axes.SetLimitsY(-0.02, 1.02);
        if (series.Count > 0) plot.ShowLegend();
        return plot;
    }
}
