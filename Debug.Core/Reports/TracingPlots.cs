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
        Save(plot, path, Math.Max(640, 90 + 26 * cols), Math.Max(420, 140 + (int)LabelRoom(columnLabels) + 18 * rows));
    }

    /// <summary>Bar chart, one labelled bar per entry (e.g. knockout conditions and their effect).</summary>
    public static void Bars(string path, string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        var plot = new Plot();
        plot.Add.Bars(values.ToArray());
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = LabelRoom(labels);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(yLabel);
        Save(plot, path, Math.Max(480, 80 + 40 * labels.Count), 400 + (int)LabelRoom(labels));
    }

    // Rotated tick labels need vertical room for the longest one plus the axis title (ScottPlot does not measure them).
    private static float LabelRoom(IEnumerable<string> labels) => 40 + 8 * labels.Select(l => l.Length).DefaultIfEmpty(0).Max();

    // Newlines and spaces are invisible as tick labels: show them the way token tables do.
    private static string Printable(string token) => token.Replace("\n", "\\n", StringComparison.Ordinal).Replace(" ", "␣", StringComparison.Ordinal);

    private static void Save(Plot plot, string path, int width, int height) =>
        AtomicFile.WriteAllBytes(path, plot.GetImage(width, height).GetImageBytes(ImageFormat.Png));
}
