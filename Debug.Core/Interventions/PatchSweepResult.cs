using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>The outcome of patching a list of cells: one <see cref="PatchMetrics"/> per cell, in the cells' order.</summary>
public sealed class PatchSweepResult : IDisposable
{
    internal PatchSweepResult(IReadOnlyList<PatchCell> cells, IReadOnlyList<PatchMetrics> metrics, PatchBaseline baseline,
        int firstDifference, int computedCells, Tensor? logits, bool estimated = false)
    {
        Estimated = estimated;
        Cells = cells;
        Metrics = metrics;
        Baseline = baseline;
        FirstDifference = firstDifference;
        ComputedCells = computedCells;
        Logits = logits;
    }

    /// <summary>
    /// True when the metrics are <see cref="AttributionSweep"/>'s first-order estimates (only the logit difference and
    /// the normalised effect are known), false when every cell was patched exactly.
    /// </summary>
    public bool Estimated { get; }

    /// <summary>The cells, as given.</summary>
    public IReadOnlyList<PatchCell> Cells { get; }

    /// <summary>Metrics of each cell.</summary>
    public IReadOnlyList<PatchMetrics> Metrics { get; }

    /// <summary>The unpatched runs.</summary>
    public PatchBaseline Baseline { get; }

    /// <summary>The first position where the prompts differ; cells before it have exactly zero effect.</summary>
    public int FirstDifference { get; }

    /// <summary>
    /// How many cells needed a model computation (the rest were known to change nothing); for an estimate, how many
    /// cells were estimated.
    /// </summary>
    public int ComputedCells { get; }

    /// <summary>Patched last-position logits [cells, vocab] float32, when the sweep was asked to keep them.</summary>
    public Tensor? Logits { get; }

    /// <summary>The metrics of the cell equal to <paramref name="cell"/>.</summary>
    public PatchMetrics this[PatchCell cell]
    {
        get
        {
            int i = Cells.ToList().IndexOf(cell);
            return i >= 0 ? Metrics[i] : throw new KeyNotFoundException($"{cell} was not swept");
        }
    }

    /// <summary>
    /// A [layers, positions] grid of <paramref name="metric"/> for the cells of <paramref name="kind"/> (and
    /// <paramref name="head"/>); entries without a cell are NaN. Layer 0 is row 0.
    /// </summary>
    public double[,] Grid(PatchKind kind, Func<PatchMetrics, double> metric, int layers, int positions, int? head = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var grid = new double[layers, positions];
        for (int l = 0; l < layers; l++)
            for (int p = 0; p < positions; p++) grid[l, p] = double.NaN;
        for (int i = 0; i < Cells.Count; i++)
        {
            var c = Cells[i];
            if (c.Kind == kind && c.Head == head && c.Layer < layers && c.Position < positions) grid[c.Layer, c.Position] = metric(Metrics[i]);
        }
        return grid;
    }

    /// <summary>Frees the kept logits.</summary>
    public void Dispose() => Logits?.Dispose();
}
