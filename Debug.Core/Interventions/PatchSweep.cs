using Debug.Core.Model;
using Debug.Core.Model.Blocks;
using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// Activation patching by causality instead of brute force. Patching (layer L, position p) cannot change blocks below
/// L or positions before p, so after one clean and one counterfactual run the sweep (1) reports cells before the first
/// differing token as exactly unchanged without computing them; (2) for the others, resumes the clean run at the first
/// block the patch affects, for positions p.. only, attending to the clean run's cached keys and values for positions
/// before p; (3) batches every cell of the same position into one forward, each row a different cell: a row joins
/// the batch at its own block (its input is the clean residual there, with the patched value at p or a per-row patch
/// inside the block), so no row recomputes a block its patch cannot reach. Equal to <see cref="NaivePatching"/> up
/// to float rounding; the tests hold it to 1e-5 on every metric.
/// </summary>
public static class PatchSweep
{
    /// <summary>Patches every cell of <paramref name="cells"/> (clean run patched with counterfactual values).</summary>
    public static PatchSweepResult Run(CausalLanguageModel model, PatchingPair pair, IReadOnlyList<PatchCell> cells,
        PatchSweepOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(cells);
        options ??= new PatchSweepOptions();
        foreach (var c in cells) Validate(model, pair, c);
        using var noGrad = no_grad();
        using var shadow = Float32Shadow.TryOpen(model);
        using var scope = NewDisposeScope();
        var (clean, cf) = Runs(model, pair, cells);

        // Final residual of every computed cell; unembedded together at the end (one pass over the LM head).
        var finals = new Tensor?[cells.Count];
        int d0 = pair.FirstDifference;
        var work = Enumerable.Range(0, cells.Count).Where(i => cells[i].Position >= d0).ToList();
        var groups = new List<(int Start, int[] Cells)>();
        foreach (var (start, end) in Buckets(work.Select(i => cells[i].Position), pair.Length, options.MaxPaddingFraction))
            foreach (var chunk in work.Where(i => cells[i].Position >= start && cells[i].Position <= end).Chunk(Math.Max(1, options.MaxRowsPerForward)))
                groups.Add((start, chunk));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int done = 0;
        foreach (var wave in Waves(groups, pair.Length, options.MaxTokensPerForward))
        {
            using var waveScope = NewDisposeScope();
            var last = ResumeWave(model, pair.Length, wave.Select(g => (g.Start, g.Cells.Select(i => cells[i]).ToList())).ToList(), clean, cf);
            for (int g = 0; g < wave.Count; g++)
                for (int r = 0; r < wave[g].Cells.Length; r++) finals[wave[g].Cells[r]] = last[g][r].MoveToOuterDisposeScope();
            done += wave.Sum(g => g.Cells.Length);
            options.Progress?.Report(new SweepProgress(done, work.Count, cells.Count - work.Count, watch.Elapsed));
        }
        var rowLogits = new Tensor?[cells.Count];
        var pending = Enumerable.Range(0, cells.Count).Where(i => finals[i] is not null).ToList();
        foreach (var chunk in pending.Chunk(Math.Max(1, options.MaxRowsPerForward)))
        {
            var logits = model.LogitsOfResidual(stack(chunk.Select(i => finals[i]!), 0));
            for (int r = 0; r < chunk.Length; r++) rowLogits[chunk[r]] = logits[r];
        }

        // Values are read from the device only from here on: the baseline's logits, then a few numbers per cell.
        var baseline = PatchBaseline.Create(clean.Logits, cf.Logits, pair.CleanAnswer, pair.CounterfactualAnswer);
        int computed = rowLogits.Count(t => t is not null);
        var unchanged = PatchMetrics.Unchanged(baseline);
        var metrics = new PatchMetrics[cells.Count];
        var computedIdx = Enumerable.Range(0, cells.Count).Where(i => rowLogits[i] is not null).ToList();
        Tensor? all = computedIdx.Count > 0 ? stack(computedIdx.Select(i => rowLogits[i]!), 0) : null;
        if (all is not null)
        {
            var m = PatchMetrics.Compute(all, baseline);
            for (int k = 0; k < computedIdx.Count; k++) metrics[computedIdx[k]] = m[k];
        }
        for (int i = 0; i < cells.Count; i++) metrics[i] ??= unchanged;

        Tensor? kept = null;
        if (options.KeepLogits)
        {
            // Uncomputed cells are the clean logits, bit for bit.
            var rows = Enumerable.Range(0, cells.Count).Select(i => rowLogits[i] ?? clean.Logits.flatten());
            kept = stack(rows, 0).MoveToOuterDisposeScope();
        }
        return new PatchSweepResult(cells, metrics, baseline, d0, computed, kept);
    }

    internal static void Validate(CausalLanguageModel model, PatchingPair pair, PatchCell c)
    {
        if (c.Layer < 0 || c.Layer >= model.NumLayers) throw new ArgumentOutOfRangeException(nameof(c), $"{c}: layer outside 0..{model.NumLayers - 1}");
        if (c.Position < 0 || c.Position >= pair.Length) throw new ArgumentOutOfRangeException(nameof(c), $"{c}: position outside 0..{pair.Length - 1}");
        if ((c.Kind == PatchKind.AttnHead) != (c.Head is not null)) throw new ArgumentException($"{c}: a head is required for, and only for, attn_head", nameof(c));
        if (c.Head is { } h && (h < 0 || h >= model.NumHeads)) throw new ArgumentOutOfRangeException(nameof(c), $"{c}: head outside 0..{model.NumHeads - 1}");
    }

    /// <summary>
    /// Groups of neighbouring patched positions that share one resumed forward from the group's first position. A row
    /// patched at p then also reruns positions start..p-1 with their clean inputs (which reproduce the clean run up to
    /// float rounding): at most <paramref name="maxPadding"/> of a row's tokens are such padding, and in exchange every
    /// block multiplies several positions' rows at once, which keeps the GEMMs large enough to run near the CPU's peak.
    /// </summary>
    internal static List<(int Start, int End)> Buckets(IEnumerable<int> positions, int length, double maxPadding)
    {
        var sorted = positions.Distinct().OrderByDescending(p => p).ToList();
        var buckets = new List<(int, int)>();
        for (int i = 0; i < sorted.Count;)
        {
            int end = sorted[i], start = end;
            while (++i < sorted.Count && (double)(end - sorted[i]) / (length - sorted[i]) <= maxPadding) start = sorted[i];
            buckets.Add((start, end));
        }
        return buckets;
    }

    /// <summary>
    /// The clean run (residual entering every block and leaving the last, keys and values, last logits) and the
    /// counterfactual run (the same residuals plus hook_z / mlp_out where cells need them).
    /// </summary>
    private static (RunCapture Clean, RunCapture Cf) Runs(CausalLanguageModel model, PatchingPair pair, IReadOnlyList<PatchCell> cells)
    {
        var clean = RunCapture.Run(model, pair.CleanIds, [], withCache: true);
        var extra = cells.Where(c => c.Kind is PatchKind.AttnHead or PatchKind.MlpOut).Select(c => c.Hook).Distinct().ToList();
        var cf = RunCapture.Run(model, pair.CounterfactualIds, extra, withCache: false);
        return (clean, cf);
    }

    /// <summary>
    /// Consecutive groups packed into one forward while their tokens at the last block (cells x positions) stay within
    /// <paramref name="budget"/> (a group larger than the budget runs alone).
    /// </summary>
    internal static List<List<(int Start, int[] Cells)>> Waves(List<(int Start, int[] Cells)> groups, int length, int budget)
    {
        var waves = new List<List<(int, int[])>>();
        long tokens = 0;
        foreach (var g in groups)
        {
            long t = (long)g.Cells.Length * (length - g.Start);
            if (waves.Count == 0 || tokens + t > budget) { waves.Add([]); tokens = 0; }
            waves[^1].Add(g);
            tokens += t;
        }
        return waves;
    }

    /// <summary>
    /// Last-position residuals after the last block, one [cells, d_model] per group, of groups of cells that each
    /// patch positions from the group's start on. Each group is one resumed forward (its rows run positions start..,
    /// each row's patch at its offset, rows joining at their first affected block); all groups' rows run every block
    /// packed in one sequence (<see cref="CausalLanguageModel.PackedContext"/>), so the block's GEMMs see every token
    /// of the wave at once.
    /// </summary>
    private static List<Tensor> ResumeWave(CausalLanguageModel model, int length, List<(int Start, List<PatchCell> Cells)> groups,
        RunCapture clean, RunCapture cf)
    {
        int n = model.NumLayers;
        var g = groups.Select(x => new ResumedGroup(model, length, x.Start, x.Cells, clean)).ToList();
        for (int block = g.Min(x => x.Ordered[0].Cell.FirstAffectedBlock); block <= n; block++)
        {
            var joins = new List<(ResumedGroup Group, int Row, PatchCell Cell)>();
            foreach (var group in g) joins.AddRange(group.Join(block, clean, cf).Select(j => (group, j.Row, j.Cell)));
            if (block == n) break;
            var live = g.Where(x => x.X is not null).ToList();
            if (live.Count == 0) continue;
            var offsets = new Dictionary<ResumedGroup, long>();
            long offset = 0;
            foreach (var group in live) { offsets[group] = offset; offset += group.Rows * group.T; }
            HookSet? hooks = null;
            foreach (var (group, row, c) in joins.Where(j => j.Cell.Kind is PatchKind.AttnHead or PatchKind.MlpOut))
            {
                int at = (int)(offsets[group] + row * group.T + c.Position - group.Start);
                var value = c.Kind == PatchKind.AttnHead
                    ? cf.Hooks[c.Hook][0, c.Position, c.Head!.Value].unsqueeze(0)
                    : cf.Hooks[c.Hook][0].narrow(0, c.Position, 1);
                (hooks ??= new HookSet()).Add(new Patch(c.Hook, 0, [at], c.Head, value));
            }
            using var blockScope = NewDisposeScope();
            long d = live[0].X!.shape[2];
            var packed = live.Count == 1 ? live[0].X!.view(1, -1, d) : cat(live.Select(x => x.X!.view(1, -1, d)).ToList(), 1);
            var ctx = CausalLanguageModel.PackedContext(live.Select(x => (x.Context, x.Rows, x.T)).ToList());
            var y = model.RunBlock(block, packed, ctx, hooks);
            foreach (var group in live)
            {
                var previous = group.X!;
                group.X = y.narrow(1, offsets[group], group.Rows * group.T).view(group.Rows, group.T, d).MoveToOuterDisposeScope();
                previous.Dispose();
            }
            hooks?.Dispose();
        }
        return g.Select(x => x.LastResidual()).ToList();
    }
}
