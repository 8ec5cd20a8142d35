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
        foreach (var (start, end) in Buckets(work.Select(i => cells[i].Position), pair.Length, options.MaxPaddingFraction))
            foreach (var chunk in work.Where(i => cells[i].Position >= start && cells[i].Position <= end).Chunk(Math.Max(1, options.MaxRowsPerForward)))
            {
                using var chunkScope = NewDisposeScope();
                var last = ResumeGroup(model, pair.Length, start, chunk.Select(i => cells[i]).ToList(), clean, cf);
                for (int r = 0; r < chunk.Length; r++) finals[chunk[r]] = last[r].MoveToOuterDisposeScope();
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
    /// Last-position residual after the last block [cells, d_model] of cells that patch positions <paramref name="p"/>
    /// or later (each row runs positions p.., its own patch at its offset).
    /// </summary>
    private static Tensor ResumeGroup(CausalLanguageModel model, int length, int p, List<PatchCell> cells, RunCapture clean, RunCapture cf)
    {
        int n = model.NumLayers;
        long t = length - p;
        KvCache? prefix = null;
        if (p > 0)
        {
            var kv = Enumerable.Range(0, n).Select(l => clean.Cache!.Layer(l)).ToList();
            prefix = KvCache.Frozen(kv.Select(x => x.K.narrow(2, 0, p)).ToList(), kv.Select(x => x.V.narrow(2, 0, p)).ToList());
        }
        var ctx = model.ResumeContext(p, t, prefix);
        // Rows in join order, so a block's batch is always "rows that joined so far" followed by the joiners.
        var ordered = cells.Select((c, i) => (Cell: c, Index: i)).OrderBy(x => x.Cell.FirstAffectedBlock).ToList();
        var rowOf = new int[cells.Count];
        Tensor? x = null;
        int next = 0, rows = 0;
        for (int block = ordered[0].Cell.FirstAffectedBlock; block <= n; block++)
        {
            HookSet? hooks = null;
            int start = next;
            while (next < ordered.Count && ordered[next].Cell.FirstAffectedBlock == block) next++;
            if (next > start)
            {
                var input = clean.State(block).narrow(1, p, t).expand(next - start, -1, -1).clone();
                for (int k = start; k < next; k++)
                {
                    var c = ordered[k].Cell;
                    int row = rows + (k - start), at = c.Position - p;
                    rowOf[ordered[k].Index] = row;
                    switch (c.Kind)
                    {
                        case PatchKind.ResidPre or PatchKind.ResidPost:
                            input[k - start, at] = cf.State(block)[0, c.Position];
                            break;
                        case PatchKind.AttnHead:
                            (hooks ??= new HookSet()).Add(new Patch(c.Hook, row, [at], c.Head, cf.Hooks[c.Hook][0, c.Position, c.Head!.Value].unsqueeze(0)));
                            break;
                        default:
                            (hooks ??= new HookSet()).Add(new Patch(c.Hook, row, [at], null, cf.Hooks[c.Hook][0].narrow(0, c.Position, 1)));
                            break;
                    }
                }
                x = x is null ? input : cat([x, input], 0);
                rows += next - start;
            }
            if (block == n || x is null) continue;
            using var blockScope = NewDisposeScope();
            var previous = x;
            x = model.RunBlock(block, x, ctx, hooks).MoveToOuterDisposeScope();
            previous.Dispose();
            hooks?.Dispose();
        }
        return x!.select(1, t - 1).index_select(0, tensor(rowOf.Select(r => (long)r).ToArray(), device: x.device));
    }
}
