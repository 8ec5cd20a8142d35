using System.Globalization;
using ScottPlot;

namespace Debug.Core.Reports;

/// <summary>
/// Plots a trainer's CSV log (<c>step</c>, columns ending in <c>_loss</c>, columns starting with <c>acc_</c>, e.g.
/// <c>acc_hop1..4</c> or <c>acc_&lt;family&gt;</c>): losses on the left axis, held-out accuracy on the right, so a
/// plateau and its end are visible at a glance.
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
        var losses = header.Where(h => h.EndsWith("_loss", StringComparison.Ordinal)).ToList();
        var accuracies = header.Where(h => h.StartsWith("acc_", StringComparison.Ordinal)).ToList();
        if (losses.Count == 0 || accuracies.Count == 0) throw new InvalidDataException($"{csvPath}: needs '*_loss' and 'acc_*' columns");
        int colour = 0;
        foreach (var name in losses)
        {
            var line = plot.Add.Scatter(steps, Values(Col(name), rows));
            line.LegendText = name.Replace('_', ' ');
            line.Color = palette.GetColor(colour++);
            line.MarkerSize = 0;
        }
        var evalRows = rows.Where(r => r[Col(accuracies[0])].Length > 0).ToList();
        foreach (var name in accuracies)
        {
            var acc = plot.Add.Scatter(Values(Col("step"), evalRows), Values(Col(name), evalRows));
            acc.LegendText = name.StartsWith("acc_hop", StringComparison.Ordinal) && int.TryParse(name[7..], out int hop)
                ? $"held-out accuracy, {hop} hop{(hop > 1 ? "s" : "")}"
                : "held-out " + name[4..].Replace('_', ' ');
            acc.Color = new ScottPlot.Palettes.Category20().GetColor(colour++);
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
