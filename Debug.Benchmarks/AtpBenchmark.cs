using System.Diagnostics;
using System.Globalization;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Interventions;
using Debug.Core.Model;
using Debug.Core.Model.Blocks;
using static TorchSharp.torch;

namespace Debug.Benchmarks;

/// <summary>
/// Attribution patching against the exact fast sweep, in one run. Speed: the full token x layer resid_post grid of the
/// <c>sweep</c> benchmark's program on the Qwen3-0.6B-shaped random checkpoint in float32, medians of several runs of
/// each. Agreement: on the embedded model's tracing rows (the suite's full grid: hops 1-3, 5 and 17 lines, seed ranks
/// 0-2) the resid_pre and hook_mlp_out grids (every token x layer) and the heads at the prediction, each estimated
/// and swept exactly: recall@10 of the exact top 10 among the estimate's top 10 and Spearman's correlation of the
/// signed effects (cells from the first differing token on), plain and with interpolated gradients. Prints every
/// row below the 0.8 recall target. Many pairs (<c>--batch N</c>, default 16; 1 leaves it out): N programs' grids in one
/// <see cref="AttributionSweep.RunBatch"/> against an exact sweep of each, per pair.
/// </summary>
public sealed class AtpBenchmark : IBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <inheritdoc />
    public string Name => "atp";

    /// <inheritdoc />
    public string Description => "attribution patching vs the exact fast sweep: speed on the Qwen3-0.6B shape, recall@10 and Spearman on tiny's tracing rows";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        int repeats = ArgInt(args, "--repeats", 5), exactRepeats = ArgInt(args, "--exact-repeats", 3), steps = ArgInt(args, "--steps", 8),
            batch = ArgInt(args, "--batch", 16);
        Debug.Core.TorchRuntime.SetThreads(ArgInt(args, "--threads", 0));
        Profile = args.Contains("--profile");
        string cpu = CpuBf16.HasBf16Units ? "bf16" : "avx2";
        Console.WriteLine($"cpu={cpu}; {get_num_threads()} torch threads; float32");
        bool speed = !args.Contains("--agreement-only");
        double atpS = double.NaN, exactS = double.NaN, bigRecall = double.NaN, atpBf16S = double.NaN, exactBf16S = double.NaN,
            bf16Recall = double.NaN, atp3S = double.NaN, exact3S = double.NaN, batchS = double.NaN, batchExactS = double.NaN, batchRecall = double.NaN;
        if (speed)
        {
            // One random checkpoint (1.2 GB) serves every timed run.
            var folder = Path.Combine(Path.GetTempPath(), "debug-atp-bench-" + Environment.ProcessId);
            try
            {
                RandomCheckpoint.Write(folder);
                var (pair, _) = SweepBenchmark.Program(1);
                // The float32 model is loaded once for every float32 stage.
                using var fp32 = CausalLanguageModel.Load(folder, ScalarType.Float32);
                (atpS, exactS, bigRecall, var fp32Exact) = Speed(fp32, pair, repeats, exactRepeats, [PatchKind.ResidPost]);
                using (fp32Exact)
                {
                    if (Profile) return 0; // --profile: only where the estimate's time goes
                    // Where bf16 products run natively (AMX/avx512_bf16), the estimate on the bf16 model, against both
                    // exact sweeps; its recall is measured against the float32 exact sweep just run.
                    if (CpuBf16.HasNativeGemm)
                    {
                        using var bf16 = CausalLanguageModel.Load(folder, ScalarType.BFloat16);
                        (atpBf16S, exactBf16S, bf16Recall, var bf16Exact) = Speed(bf16, pair, repeats, exactRepeats, [PatchKind.ResidPost], fp32Exact);
                        bf16Exact?.Dispose();
                    }
                }
                if (batch > 1)
                    (batchS, batchExactS, batchRecall) = Batched(fp32, batch, repeats);
                // The estimate reads every hook kind from the same three passes; the exact sweep pays for each kind.
                if (!args.Contains("--resid-post-only"))
                {
                    (atp3S, exact3S, _, var threeExact) = Speed(fp32, pair, repeats, exactRepeats, [PatchKind.ResidPre, PatchKind.ResidPost, PatchKind.MlpOut]);
                    threeExact?.Dispose();
                }
            }
            finally
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
        }
        var (recall, spearman, recallIg, spearmanIg, rows) = Agreement(steps);
        Console.WriteLine(string.Create(Inv,
            $"atp_s={atpS:F3} exact_s={exactS:F2} atp_speedup={exactS / atpS:F1} recall_at_10={recall:F3} spearman={spearman:F3} " +
            $"atp_three_kinds_s={atp3S:F3} exact_three_kinds_s={exact3S:F2} atp_speedup_three_kinds={exact3S / atp3S:F1} " +
            $"atp_bf16_s={atpBf16S:F3} exact_bf16_s={exactBf16S:F2} atp_bf16_speedup={exactBf16S / atpBf16S:F1} atp_bf16_over_fp32_exact={exactS / atpBf16S:F1} " +
            $"random_0.6b_recall_at_10_bf16={bf16Recall:F2} " +
            $"atp_batch={batch} atp_batch_per_pair_s={batchS:F3} exact_batch_per_pair_s={batchExactS:F2} atp_batch_speedup={batchExactS / batchS:F1} random_0.6b_batch_recall_at_10={batchRecall:F2} " +
            $"recall_at_10_ig{steps}={recallIg:F3} spearman_ig{steps}={spearmanIg:F3} rows={rows} random_0.6b_recall_at_10={bigRecall:F2} cpu={cpu}"));
        return 0;
    }

    /// <summary>
    /// Medians of the estimate and of the exact fast sweep on <paramref name="model"/> (the random Qwen3-0.6B-shaped
    /// checkpoint in one dtype), and the estimate's recall@10 against <paramref name="reference"/> (the float32 exact
    /// sweep of the same cells; null: this run's own exact sweep). Returns this run's exact sweep for the caller to
    /// dispose (null after <c>--profile</c>).
    /// </summary>
    private static (double Atp, double Exact, double Recall, PatchSweepResult? ExactResult) Speed(CausalLanguageModel model, PatchingPair pair,
        int repeats, int exactRepeats, PatchKind[] kinds, PatchSweepResult? reference = null)
    {
        var dtype = model.ComputeDtype;
        var cells = kinds.SelectMany(k => PatchCell.Grid(k, model.NumLayers, Enumerable.Range(0, pair.Length))).ToList();
        Console.WriteLine($"Qwen3-0.6B shape, {dtype}: {cells.Count} cells ({string.Join(" + ", kinds.Select(Debug.Core.Reports.TracingRecords.KindName))}: {model.NumLayers} layers x {pair.Length} positions each, first difference {pair.FirstDifference})");
        AttributionSweep.Run(model, pair, cells).Dispose(); // warm-up
        if (Profile)
        {
            PrintProfile(model, pair, cells);
            return (double.NaN, double.NaN, double.NaN, null);
        }
        var (atp, atpTimes) = Median(repeats, () => AttributionSweep.Run(model, pair, cells), r => r.Dispose());
        var (exact, exactTimes) = Median(exactRepeats, () => PatchSweep.Run(model, pair, cells), r => r.Dispose());
        using (atp)
        {
            var truth = reference ?? exact;
            double recall = AttributionAgreement.RecallAtK(atp, truth, 10);
            Console.WriteLine(string.Create(Inv,
                $"attribution {Med(atpTimes):F3} s (runs {Join(atpTimes, "F3")}), exact fast sweep {Med(exactTimes):F2} s (runs {Join(exactTimes, "F2")}): " +
                $"{Med(exactTimes) / Med(atpTimes):F1}x; on this random model recall@10 {recall:F2}, Spearman {AttributionAgreement.Spearman(atp, truth):F3} (against the float32 exact sweep)"));
            return (Med(atpTimes), Med(exactTimes), recall, exact);
        }
    }

    private static bool Profile;

    /// <summary>
    /// Many pairs, as a tracing experiment has them: the resid_post grids of the sweep benchmark's programs for seeds
    /// 1..<paramref name="count"/> (different lengths, so the batch is left-padded) estimated in one
    /// <see cref="AttributionSweep.RunBatch"/> (median of <paramref name="repeats"/>), against one exact fast sweep of
    /// each pair (once each: together they take minutes). Per-pair seconds of both and the mean recall@10.
    /// </summary>
    private static (double AtpPerPair, double ExactPerPair, double Recall) Batched(CausalLanguageModel model, int count, int repeats)
    {
        var pairs = Enumerable.Range(1, count).Select(seed => SweepBenchmark.Program((ulong)seed).Pair).ToList();
        var cells = pairs.Select(p => (IReadOnlyList<PatchCell>)PatchCell.Grid(PatchKind.ResidPost, model.NumLayers, Enumerable.Range(0, p.Length)).ToList()).ToList();
        Console.WriteLine($"batch of {count} pairs, float32, lengths {string.Join(", ", pairs.Select(p => p.Length))}: {cells.Sum(c => c.Count)} cells");
        static void DisposeAll(IReadOnlyList<PatchSweepResult> results) { foreach (var r in results) r.Dispose(); }
        DisposeAll(AttributionSweep.RunBatch(model, pairs, cells)); // warm-up
        var (estimates, times) = Median(repeats, () => AttributionSweep.RunBatch(model, pairs, cells), DisposeAll);
        var exactTimes = new List<double>();
        var recalls = new List<double>();
        for (int p = 0; p < count; p++)
        {
            var sw = Stopwatch.StartNew();
            using var exact = PatchSweep.Run(model, pairs[p], cells[p]);
            exactTimes.Add(sw.Elapsed.TotalSeconds);
            recalls.Add(AttributionAgreement.RecallAtK(estimates[p], exact, 10));
        }
        DisposeAll(estimates);
        double atpPerPair = Med(times) / count, exactPerPair = exactTimes.Sum() / count;
        Console.WriteLine(string.Create(Inv,
            $"batch of {count}: attribution {Med(times):F3} s in all (runs {Join(times, "F3")}), {atpPerPair:F3} s per pair; exact fast sweeps " +
            $"{exactTimes.Sum():F1} s in all (each {Join(exactTimes, "F1")}), {exactPerPair:F2} s per pair: {exactPerPair / atpPerPair:F1}x; " +
            $"recall@10 per pair {Join(recalls, "F1")}"));
        return (atpPerPair, exactPerPair, recalls.Average());
    }

    /// <summary>
    /// Where an attribution run's time goes: a plain forward (no hooks, no gradients) of the prompt, the same with the
    /// sweep's hooks, and the whole estimate (counterfactual forward, clean forward with gradients, backward), medians
    /// of 5; and the float32 GEMM rate at the prompt's row count against 512 rows, since every product here has T rows.
    /// </summary>
    private static void PrintProfile(CausalLanguageModel model, PatchingPair pair, IReadOnlyList<PatchCell> cells)
    {
        double Time(Action a)
        {
            var t = new List<double>();
            for (int i = 0; i < 5; i++) { var sw = Stopwatch.StartNew(); a(); t.Add(sw.Elapsed.TotalSeconds); }
            return Med(t);
        }
        using var ids = tensor(pair.CleanIds.ToArray(), device: model.Device).unsqueeze(0);
        double plain = Time(() => { using var _ = no_grad(); model.Forward(ids, logitPositions: [-1]).Dispose(); });
        // Whether the forward is bound by reading the weights: two rows cost little more than one if so.
        double Rows(int n)
        {
            using var batch = ids.expand(n, -1).contiguous();
            return Time(() => { using var _ = no_grad(); model.Forward(batch, logitPositions: [-1]).Dispose(); });
        }
        double plainTwo = Rows(2), plainFour = Rows(4), plainEight = Rows(8);
        var hookNames = cells.Select(c => c.Hook).Distinct().ToList();
        double hooked = Time(() =>
        {
            using var hooks = new HookSet();
            foreach (var h in hookNames) hooks.Capture(h);
            model.Forward(ids, logitPositions: [-1], hooks: hooks).Dispose();
        });
        // The clean forward as the estimate runs it (a zero offset requiring gradients at every hook), with and
        // without the backward from the metric: their difference is the backward's cost.
        double CleanPass(bool backward) => Time(() =>
        {
            using var scope = NewDisposeScope();
            using var hooks = new HookSet();
            foreach (var h in hookNames) hooks.Perturb(h, zeros(1, pair.Length, RandomCheckpoint.Hidden).requires_grad_(true)).Capture(h);
            Tensor logits;
            using (CausalLanguageModel.RecordGradientsOnThisThread()) logits = model.Forward(ids, logitPositions: [-1], hooks: hooks);
            if (backward) using (enable_grad()) logits[0, 0, 0].sub(logits[0, 0, 1]).backward();
        });
        double withGrad = CleanPass(false), withBackward = CleanPass(true);
        double whole = Time(() => AttributionSweep.Run(model, pair, cells).Dispose());
        double Rate(int m)
        {
            using var scope = NewDisposeScope();
            var a = randn(m, RandomCheckpoint.Hidden);
            var w = randn(RandomCheckpoint.Intermediate, RandomCheckpoint.Hidden);
            int iters = Math.Max(3, 20000 / m);
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < iters; i++) nn.functional.linear(a, w).Dispose();
            return iters * 2.0 * m * RandomCheckpoint.Hidden * RandomCheckpoint.Intermediate / 1e9 / sw.Elapsed.TotalSeconds;
        }
        Console.WriteLine(string.Create(Inv,
            $"profile: plain forward {plain:F3} s (batch of 2: {plainTwo:F3} s, of 4: {plainFour:F3} s, of 8: {plainEight:F3} s), hooked forward {hooked:F3} s, clean forward recording gradients {withGrad:F3} s, its backward {withBackward - withGrad:F3} s, whole estimate {whole:F3} s ({whole / plain:F1} plain forwards); " +
            $"fp32 GEMM [{pair.Length}x{RandomCheckpoint.Hidden}]x[{RandomCheckpoint.Hidden}x{RandomCheckpoint.Intermediate}] {Rate(pair.Length):F0} GFLOP/s, at 512 rows {Rate(512):F0} GFLOP/s"));
    }

    private static (double Recall, double Spearman, double RecallIg, double SpearmanIg, int Rows) Agreement(int steps)
    {
        using var loaded = LoadedModel.Load(ModelReference.Parse(ModelReference.EmbeddedName));
        var model = loaded.Model;
        var rows = new List<(string Row, double Recall, double Spearman, double RecallIg, double SpearmanIg)>();
        foreach (int lines in new[] { 5, 17 })
            foreach (int hops in new[] { 1, 2, 3 })
                foreach (var (seed, rank) in RobustSeeds.Find(model, loaded.Tokenizer, hops, lines, 3, 200).Select((s, r) => (s, r)))
                {
                    var c = BindingTracingCase.Create(loaded.Tokenizer, hops, lines, seed);
                    var all = Enumerable.Range(0, c.Pair.Length).ToList();
                    foreach (var (kind, cells) in new[]
                    {
                        ("resid_pre", PatchCell.Grid(PatchKind.ResidPre, model.NumLayers, all)),
                        ("mlp_out", PatchCell.Grid(PatchKind.MlpOut, model.NumLayers, all)),
                        ("heads", PatchCell.Grid(PatchKind.AttnHead, model.NumLayers, [c.Prediction], model.NumHeads)),
                    })
                    {
                        using var exact = PatchSweep.Run(model, c.Pair, cells);
                        using var atp = AttributionSweep.Run(model, c.Pair, cells);
                        using var ig = AttributionSweep.Run(model, c.Pair, cells, new AttributionOptions(steps));
                        rows.Add(($"h{hops} l{lines} r{rank} (seed {seed}) {kind}", AttributionAgreement.RecallAtK(atp, exact, 10),
                            AttributionAgreement.Spearman(atp, exact), AttributionAgreement.RecallAtK(ig, exact, 10), AttributionAgreement.Spearman(ig, exact)));
                    }
                }
        Console.WriteLine($"tiny: {rows.Count} (row, kind) sweeps; recall@10 and Spearman, plain | {steps}-step interpolated gradients:");
        foreach (var r in rows)
            Console.WriteLine(string.Create(Inv, $"  {r.Row,-34} recall@10 {r.Recall:F2} spearman {r.Spearman:F3} | {r.RecallIg:F2} {r.SpearmanIg:F3}{(r.Recall < 0.8 ? "  below 0.8" : "")}"));
        foreach (var kind in new[] { "resid_pre", "mlp_out", "heads" })
        {
            var k = rows.Where(r => r.Row.EndsWith(kind, StringComparison.Ordinal)).ToList();
            Console.WriteLine(string.Create(Inv, $"  mean over {kind}: recall@10 {k.Average(r => r.Recall):F3}, Spearman {Mean(k.Select(r => r.Spearman)):F3} | {k.Average(r => r.RecallIg):F3}, {Mean(k.Select(r => r.SpearmanIg)):F3}"));
        }
        return (rows.Average(r => r.Recall), Mean(rows.Select(r => r.Spearman)), rows.Average(r => r.RecallIg), Mean(rows.Select(r => r.SpearmanIg)), rows.Count);
    }

    // Spearman is NaN for a constant side; such rows are left out of the mean (and show as NaN in the table).
    private static double Mean(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }

    // Times `runs` runs; keeps the first result and disposes the others.
    private static (T Kept, List<double> Times) Median<T>(int runs, Func<T> sweep, Action<T> dispose) where T : class
    {
        var times = new List<double>();
        T? kept = null;
        var sw = new Stopwatch();
        for (int i = 0; i < Math.Max(1, runs); i++)
        {
            sw.Restart();
            var result = sweep();
            times.Add(sw.Elapsed.TotalSeconds);
            if (kept is null) kept = result;
            else dispose(result);
        }
        return (kept!, times);
    }

    private static double Med(List<double> times) => times.Order().ElementAt(times.Count / 2);

    private static string Join(List<double> times, string format) => string.Join(", ", times.Select(t => t.ToString(format, Inv)));

    private static int ArgInt(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], Inv) : fallback;
    }
}
