using ScottPlot;

namespace Debug.Core.Reports;

/// <summary>
/// PNG figures of tracing results: layer x token heatmaps (token text on the x axis, layer 0 at the bottom), heads x
/// layers heatmaps and knockout bar charts. Written atomically, so a reader never sees half a file.
/// </summary>
public static class TracingPlots
{
    /// <summary>
    /// Heatmap of <paramref name="values"/> [rows, columns] with row 0 at the bottom (layers), one labelled tick per
    /// column (tokens or heads) and per row. NaN cells (nothing measured) are drawn blank.
    /// </summary>
    public static void Heatmap(string path, string title, double[,] values, IReadOnlyList<string> columnLabels,
        IReadOnlyList<string> rowLabels, string xLabel, string yLabel, string colorLabel)
    {
        var plot = HeatmapPlot(title, values, columnLabels, rowLabels, xLabel, yLabel, colorLabel);
        Save(plot, path, Math.Max(640, 90 + 26 * columnLabels.Count), Math.Max(420, 140 + (int)LabelRoom(columnLabels.Select(Printable)) + 18 * rowLabels.Count));
    }

    /// <summary>The plot <see cref="Heatmap"/> saves; separate so tests can ask it which value is drawn where.</summary>
    internal static Plot HeatmapPlot(string title, double[,] values, IReadOnlyList<string> columnLabels,
        IReadOnlyList<string> rowLabels, string xLabel, string yLabel, string colorLabel)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(columnLabels);
        ArgumentNullException.ThrowIfNull(rowLabels);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (columnLabels.Count != cols || rowLabels.Count != rows)
            throw new ArgumentException($"{rows}x{cols} values with {rowLabels.Count} row and {columnLabels.Count} column labels");
        // ScottPlot draws the array's first row at the top: reverse, so row 0 (layer 0) ends up at the bottom, at y = 0.
        var flipped = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) flipped[rows - 1 - r, c] = values[r, c];
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(flipped);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap).Label = colorLabel;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, cols).Select(c => (double)c).ToArray(), columnLabels.Select(Printable).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = LabelRoom(columnLabels.Select(Printable));
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(r => (double)r).ToArray(), rowLabels.ToArray());
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>
    /// Bar chart, one labelled bar per entry (e.g. knockout conditions and their effect), with optional dashed
    /// horizontal reference lines (e.g. the clean and counterfactual runs' values) named in a legend.
    /// </summary>
    public static void Bars(string path, string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string yLabel,
        IReadOnlyList<(string Label, double Value)>? references = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        var plot = new Plot();
        plot.Add.Bars(values.ToArray());
        var palette = new ScottPlot.Palettes.Category10();
        int color = 1; // colour 0 is the bars'
        foreach (var (label, value) in references ?? [])
        {
            var line = plot.Add.HorizontalLine(value, 2, palette.GetColor(color++), LinePattern.Dashed);
            line.LegendText = label;
        }
        // Outside the data area, where it cannot cover a bar; a reference line may be the lowest value, so keep a margin.
        if (references is { Count: > 0 }) plot.ShowLegend(Edge.Right);
        else plot.Axes.Margins(bottom: 0);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = LabelRoom(labels);
        plot.Title(title);
        plot.YLabel(yLabel);
        Save(plot, path, Math.Max(480, 80 + 40 * labels.Count) + (references is { Count: > 0 } ? 160 : 0), 400 + (int)LabelRoom(labels));
    }

    // Rotated tick labels need vertical room for the longest one plus the axis title (ScottPlot does not measure them).
    private static float LabelRoom(IEnumerable<string> labels) => 40 + 8 * labels.Select(l => l.Length).DefaultIfEmpty(0).Max();

    // Newlines and spaces are invisible as tick labels: show them the way token tables do.
    private static string Printable(string token) => token.Replace("\n", "\\n", StringComparison.Ordinal).Replace(" ", "␣", StringComparison.Ordinal);

    private static void Save(Plot plot, string path, int width, int height) =>
        AtomicFile.WriteAllBytes(path, plot.GetImage(width, height).GetImageBytes(ImageFormat.Png));
}
