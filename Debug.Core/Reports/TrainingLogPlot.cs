using System.Globalization;
using ScottPlot;

namespace Debug.Core.Reports;

/// <summary>
/// Plots a trainer's CSV log (<c>step, answer_loss, attention_loss, ..., acc_hop1..4</c>): losses on the left axis,
/// held-out accuracy by hops on the right, so a plateau and its end are visible at a glance.
/// </summary>
public static class TrainingLogPlot
{
    /// <summary>Reads <paramref name="csvPath"/> and writes the PNG to <paramref name="pngPath"/> atomically.</summary>
    public static void Write(string csvPath, string pngPath, int width = 900, int height = 500)
    {
        var lines = File.ReadAllLines(csvPath);
        if (lines.Length < 2) throw new InvalidDataException($"{csvPath}: no rows to plot");
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"{csvPath}: missing column '{name}'");
        double[] Values(int col, List<string[]> from) => [.. from.Select(r => double.Parse(r[col], CultureInfo.InvariantCulture))];

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double[] steps = Values(Col("step"), rows);
        foreach (var (name, colour) in new[] { ("answer_loss", 0), ("attention_loss", 1) })
        {
            var line = plot.Add.Scatter(steps, Values(Col(name), rows));
            line.LegendText = name.Replace('_', ' ');
            line.Color = palette.GetColor(colour);
            line.MarkerSize = 0;
        }
        var evalRows = rows.Where(r => r[Col("acc_hop1")].Length > 0).ToList();
        for (int hop = 1; hop <= 4; hop++)
        {
            var acc = plot.Add.Scatter(Values(Col("step"), evalRows), Values(Col($"acc_hop{hop}"), evalRows));
            acc.LegendText = $"held-out accuracy, {hop} hop{(hop > 1 ? "s" : "")}";
            acc.Color = palette.GetColor(2 + hop);
            acc.Axes.YAxis = plot.Axes.Right;
        }
        plot.Axes.Right.Label.Text = "accuracy";
        plot.Axes.SetLimitsY(-0.02, 1.02, plot.Axes.Right);
        plot.YLabel("loss");
        plot.XLabel("step");
        plot.Title("Embedded model training");
        plot.ShowLegend(Alignment.MiddleRight);
        AtomicFile.WriteAllBytes(pngPath, plot.GetImageBytes(width, height, ImageFormat.Png));
    }
}
