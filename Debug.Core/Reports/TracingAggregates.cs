using Debug.Core.Interventions;

namespace Debug.Core.Reports;

/// <summary>
/// The document of <c>patch_results.json</c>: per patched kind, the grids the heatmaps draw and where the effect is
/// largest. Grid entries are null where nothing was swept, so an unswept cell is never mistaken for a zero effect;
/// a swept cell whose metric is undefined stays NaN.
/// </summary>
internal static class TracingAggregates
{
    /// <summary>tokens, targets and one entry per patched kind (keyed by <see cref="TracingRecords.KindName"/>).</summary>
    public static Dictionary<string, object?> Document(PatchSweepResult result, TracingContext context, int layers, int heads)
    {
        var doc = new Dictionary<string, object?>
        {
            ["model"] = context.Model,
            ["tokens"] = context.Tokens,
            ["targets"] = context.TargetPositions(),
            ["layers"] = layers,
            ["heads"] = heads,
        };
        foreach (var kind in result.Cells.Select(c => c.Kind).Distinct())
            doc[TracingRecords.KindName(kind)] = kind == PatchKind.AttnHead
                ? Heads(result, context, layers, heads)
                : Positions(result, kind, context, layers);
        return doc;
    }

    /// <summary>[layer][position] of <paramref name="metric"/> for <paramref name="kind"/>; null where unswept.</summary>
    public static double?[][] PositionGrid(PatchSweepResult result, PatchKind kind, Func<PatchMetrics, double> metric, int layers, int positions)
    {
        var grid = Empty(layers, positions);
        foreach (var (c, m) in result.Cells.Zip(result.Metrics))
            if (c.Kind == kind) grid[c.Layer][c.Position] = metric(m);
        return grid;
    }

    /// <summary>
    /// [layer][head] of the largest-magnitude <paramref name="metric"/> over the patched positions; null where
    /// unswept, NaN where every position's value is NaN.
    /// </summary>
    public static double?[][] HeadGrid(PatchSweepResult result, Func<PatchMetrics, double> metric, int layers, int heads)
    {
        var grid = Empty(layers, heads);
        foreach (var (c, m) in result.Cells.Zip(result.Metrics))
        {
            if (c.Kind != PatchKind.AttnHead) continue;
            double v = metric(m);
            ref var slot = ref grid[c.Layer][c.Head!.Value];
            if (slot is not { } old || double.IsNaN(old) || Math.Abs(v) > Math.Abs(old)) slot = v;
        }
        return grid;
    }

    /// <summary>Rejects cells outside the grids, which would mean the context or sizes belong to another run.</summary>
    public static void Validate(PatchSweepResult result, TracingContext context, int layers, int heads)
    {
        foreach (var c in result.Cells)
            if (c.Layer >= layers || c.Position >= context.Tokens.Count || (c.Head is { } h && h >= heads))
                throw new ArgumentException($"{c} lies outside {layers} layers, {heads} heads and {context.Tokens.Count} tokens", nameof(result));
    }

    private static Dictionary<string, object?> Positions(PatchSweepResult result, PatchKind kind, TracingContext context, int layers)
    {
        int positions = context.Tokens.Count;
        var effect = PositionGrid(result, kind, m => m.NormalizedEffect, layers, positions);
        return new Dictionary<string, object?>
        {
            ["normalized_effect"] = effect,
            ["ref_normalized"] = PositionGrid(result, kind, m => m.RefNormalized, layers, positions),
            ["by_position"] = Enumerable.Range(0, positions).Select(p =>
            {
                var best = Largest(Enumerable.Range(0, layers).Select(l => (effect[l][p], l)));
                return Entry(("position", p), ("token", context.TokenAt(p)), ("target", context.TargetAt(p)), ("layer", best?.At))
                    .WithMax(best?.Value);
            }).ToList(),
            ["by_layer"] = Enumerable.Range(0, layers).Select(l =>
            {
                var best = Largest(Enumerable.Range(0, positions).Select(p => (effect[l][p], p)));
                return Entry(("layer", l), ("position", best?.At), ("token", best is { } b ? context.TokenAt(b.At) : null),
                    ("target", best is { } t ? context.TargetAt(t.At) : null)).WithMax(best?.Value);
            }).ToList(),
        };
    }

    private static Dictionary<string, object?> Heads(PatchSweepResult result, TracingContext context, int layers, int heads)
    {
        var cells = result.Cells.Select((c, i) => (Cell: c, Effect: result.Metrics[i].NormalizedEffect))
            .Where(x => x.Cell.Kind == PatchKind.AttnHead).ToList();
        return new Dictionary<string, object?>
        {
            ["positions"] = cells.Select(x => x.Cell.Position).Distinct().Order().ToList(),
            ["normalized_effect"] = HeadGrid(result, m => m.NormalizedEffect, layers, heads),
            ["ref_normalized"] = HeadGrid(result, m => m.RefNormalized, layers, heads),
            ["by_layer"] = Enumerable.Range(0, layers).Select(l =>
            {
                var inLayer = cells.Where(x => x.Cell.Layer == l).ToList();
                var best = Largest(inLayer.Select((x, i) => ((double?)x.Effect, i)));
                var cell = best is { } b ? inLayer[b.At].Cell : null;
                return Entry(("layer", l), ("head", cell?.Head), ("position", cell?.Position),
                    ("token", cell is null ? null : context.TokenAt(cell.Position)),
                    ("target", cell is null ? null : context.TargetAt(cell.Position))).WithMax(best?.Value);
            }).ToList(),
        };
    }

    /// <summary>The entry of largest magnitude (first on ties), skipping unswept and NaN values; null if none is left.</summary>
    private static (double Value, int At)? Largest(IEnumerable<(double? Value, int At)> values)
    {
        (double Value, int At)? best = null;
        foreach (var (v, at) in values)
            if (v is { } x && !double.IsNaN(x) && (best is null || Math.Abs(x) > Math.Abs(best.Value.Value))) best = (x, at);
        return best;
    }

    private static Dictionary<string, object?> Entry(params (string Key, object? Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value);

    // The signed value says which way the patch pushed; the magnitude is what the entry was chosen by.
    private static Dictionary<string, object?> WithMax(this Dictionary<string, object?> entry, double? value)
    {
        entry["normalized_effect"] = value;
        entry["max_abs_normalized_effect"] = value is { } v ? Math.Abs(v) : null;
        return entry;
    }

    private static double?[][] Empty(int rows, int columns) =>
        Enumerable.Range(0, rows).Select(_ => new double?[columns]).ToArray();
}
