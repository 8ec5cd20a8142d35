using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Debug.Core.Interventions;
using Debug.Core.Model;
using Debug.Core.Model.Blocks;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using static TorchSharp.torch;

namespace Debug.Benchmarks;

/// <summary>
/// The full token x layer resid_post sweep of one 5-line variable-binding program (root literal flipped for the
/// counterfactual) on the Qwen3-0.6B-shaped random checkpoint, fast engine against the naive three-forwards-per-cell
/// method, in bf16 and float32. The naive method is timed on a few cells and extrapolated to the whole grid (its cost
/// per cell does not depend on the cell); the fast/naive difference is measured on those cells.
/// </summary>
public sealed partial class SweepBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "sweep";

    /// <inheritdoc />
    public string Description => "full token x layer residual patch sweep, fast vs naive, Qwen3-0.6B-shaped random checkpoint";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static bool _compareUnpacked;

    /// <inheritdoc />
    public int Run(string[] args)
    {
        int naiveCells = ArgInt(args, "--naive-cells", 3);
        int repeats = ArgInt(args, "--repeats", 3);
        Debug.Core.TorchRuntime.SetThreads(ArgInt(args, "--threads", 0));
        ulong seed = (ulong)ArgInt(args, "--seed", 1);
        var dtypes = args.Contains("--bf16-only") ? new[] { ScalarType.BFloat16 }
            : args.Contains("--fp32-only") ? [ScalarType.Float32] : [ScalarType.BFloat16, ScalarType.Float32];
        var options = new PatchSweepOptions(MaxPaddingFraction: ArgDouble(args, "--max-padding", new PatchSweepOptions().MaxPaddingFraction),
            MaxTokensPerForward: ArgInt(args, "--max-tokens", new PatchSweepOptions().MaxTokensPerForward));
        _compareUnpacked = args.Contains("--compare-unpacked");
        var folder = Path.Combine(Path.GetTempPath(), "debug-sweep-bench-" + Environment.ProcessId);
        try
        {
            var sw = Stopwatch.StartNew();
            RandomCheckpoint.Write(folder);
            Console.WriteLine($"random checkpoint written in {sw.Elapsed.TotalSeconds:F1} s");
            var (pair, text) = Program(seed);
            Console.WriteLine($"program ({pair.Length} ids, first difference at {pair.FirstDifference}):\n{text}");
            string cpu = CpuBf16.HasBf16Units ? "bf16" : "avx2";
            Console.WriteLine($"cpu={cpu} (avx512_bf16/amx_bf16 {(CpuBf16.HasBf16Units ? "present" : "absent")}); bf16 products run " +
                (CpuBf16.HasNativeGemm ? "on the native bf16 GEMM" : "as float32 GEMMs of float32 shadow weights") +
                $"; {get_num_threads()} torch threads; isa={Isa()}; load average {LoadAverage()}");
            double flops = FloorFlops(pair);
            if (args.Contains("--floor-only"))
            {
                foreach (var dtype in dtypes) Floor(flops, dtype);
                return 0;
            }
            if (args.Contains("--profile"))
            {
                foreach (var dtype in dtypes) SweepProfile.Print(folder, dtype, pair.Length);
                return 0;
            }
            var measured = new Dictionary<ScalarType, (double Fast, double Naive, double Diff, double Floor, double CpuRatio, double RateMin, double RateMax)>();
            foreach (var dtype in dtypes)
            {
                var (f, nv, df, fc) = Measure(folder, dtype, pair, naiveCells, options, repeats);
                // The rate is measured right after the sweep, so both see similar load on a shared machine; the CPU-time
                // ratio (sweep CPU seconds over the floor's CPU seconds at the GEMM's CPU-time rate) is steadier still.
                var (floor, floorCpu, rateMin, rateMax) = Floor(flops, dtype);
                measured[dtype] = (f, nv, df, floor, fc / floorCpu, rateMin, rateMax);
            }
            var head = measured.TryGetValue(ScalarType.BFloat16, out var b) ? b : measured[ScalarType.Float32];
            // speedup_ceiling: naive over floor, the most any exact sweep could gain over the naive method in this run.
            var line = string.Create(Inv,
                $"sweep_fast_s={head.Fast:F2} sweep_naive_s={head.Naive:F1} speedup={head.Naive / head.Fast:F1} max_abs_diff={head.Diff:G3} " +
                $"floor_s={head.Floor:F2} fast_over_floor={head.Fast / head.Floor:F2} fast_over_floor_cpu={head.CpuRatio:F2} " +
                $"floor_rate_min={head.RateMin:F0} floor_rate_max={head.RateMax:F0} speedup_ceiling={head.Naive / head.Floor:F1}");
            if (measured.TryGetValue(ScalarType.Float32, out var f32) && measured.Count > 1)
                line += string.Create(Inv, $" fp32_fast_s={f32.Fast:F2} fp32_naive_s={f32.Naive:F1} fp32_speedup={f32.Naive / f32.Fast:F1} " +
                    $"fp32_max_abs_diff={f32.Diff:G3} fp32_floor_s={f32.Floor:F2} fp32_fast_over_floor={f32.Fast / f32.Floor:F2} fp32_fast_over_floor_cpu={f32.CpuRatio:F2} " +
                    $"fp32_floor_rate_min={f32.RateMin:F0} fp32_floor_rate_max={f32.RateMax:F0} fp32_speedup_ceiling={f32.Naive / f32.Floor:F1}");
            Console.WriteLine(line + $" cpu={cpu} isa={Isa()}");
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static (double Fast, double Naive, double Diff, double FastCpu) Measure(string folder, ScalarType dtype, PatchingPair pair, int naiveCells,
        PatchSweepOptions options, int repeats)
    {
        using var model = CausalLanguageModel.Load(folder, dtype);
        using (var ids = tensor(pair.CleanIds.ToArray(), device: model.Device).unsqueeze(0)) model.Forward(ids, logitPositions: [-1]).Dispose(); // warm-up
        var cells = PatchCell.Grid(PatchKind.ResidPost, model.NumLayers, Enumerable.Range(0, pair.Length));
        // The median of several full sweeps: on a shared machine single runs of the same sweep varied by 15%.
        var times = new List<double>();
        var cpuTimes = new List<double>(); // CPU seconds: on a shared machine they vary far less than wall time
        PatchSweepResult? kept = null;
        var sw = new Stopwatch();
        for (int run = 0; run < Math.Max(1, repeats); run++)
        {
            sw.Restart();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var result = PatchSweep.Run(model, pair, cells, options);
            times.Add(sw.Elapsed.TotalSeconds);
            cpuTimes.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
            if (kept is null) kept = result;
            else result.Dispose();
        }
        using var fast = kept!;
        double fastS = times.Order().ElementAt(times.Count / 2), fastCpu = cpuTimes.Order().ElementAt(cpuTimes.Count / 2);
        if (_compareUnpacked)
        {
            // A/B in the same process: one resumed forward per position (no packing), as the engine ran before.
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            sw.Restart();
            PatchSweep.Run(model, pair, cells, options with { MaxTokensPerForward = 1 }).Dispose();
            double unpacked = sw.Elapsed.TotalSeconds, unpackedCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            Console.WriteLine(string.Create(Inv, $"{dtype}: unpacked (one forward per position) {unpacked:F2} s ({unpackedCpu:F1} CPU s), " +
                $"packed {fastS:F2} s ({fastCpu:F1} CPU s): packing {unpacked / fastS:F2}x wall, {unpackedCpu / fastCpu:F2}x CPU (load average {LoadAverage()})"));
        }

        // Naive: cells on the diagonal from (layer 0, first difference) to (last layer, last position); its cost per
        // cell is the same everywhere, and the diagonal covers early, middle and late layers and positions for the diff.
        int n = Math.Max(1, naiveCells), d0 = pair.FirstDifference;
        var sample = Enumerable.Range(0, n)
            .Select(k => new PatchCell(PatchKind.ResidPost, n == 1 ? 0 : k * (model.NumLayers - 1) / (n - 1),
                n == 1 ? d0 : d0 + k * (pair.Length - 1 - d0) / (n - 1)))
            .Distinct().ToList();
        sw.Restart();
        using var naive = NaivePatching.Run(model, pair, sample);
        double perCell = sw.Elapsed.TotalSeconds / sample.Count;
        double naiveS = perCell * cells.Count;
        double range = fast.Baseline.CleanLogitRange;
        double diff = sample.Select((c, i) => Math.Abs(fast[c].LogitDiff - naive.Metrics[i].LogitDiff) / range).Max();
        Console.WriteLine(string.Create(Inv,
            $"{dtype}: {cells.Count} cells ({model.NumLayers} layers x {pair.Length} positions), {fast.ComputedCells} computed; " +
            $"fast {fastS:F2} s ({fastCpu:F1} CPU s; median of {string.Join(", ", times.Select(x => x.ToString("F2", Inv)))}); naive {perCell:F2} s/cell on {sample.Count} sampled cells ({string.Join(", ", sample)}), " +
            $"extrapolated to {cells.Count} cells: {naiveS:F1} s; speedup {naiveS / fastS:F1}x; " +
            $"max |logit diff fast - naive| / clean logit range over the sampled cells: {diff:G3}"));
        return (fastS, naiveS, diff, fastCpu);
    }

    /// <summary>
    /// The multiply-adds an exact causal sweep of this grid cannot avoid, when every saving causality allows is taken
    /// (this engine takes the first two): nothing before the first differing token; blocks from the patched one on,
    /// positions from the patched one on; in the first rerun block, positions after the patch reuse the clean queries,
    /// keys and values (their inputs are clean); in the last block only the last position needs more than its keys and
    /// values; one LM head row per cell.
    /// </summary>
    private static double FloorFlops(PatchingPair pair)
    {
        const int n = RandomCheckpoint.Layers, d = RandomCheckpoint.Hidden, hd = RandomCheckpoint.HeadDim;
        const double q = RandomCheckpoint.Heads * hd, kv = RandomCheckpoint.KvHeads * hd;
        double qkv = 2.0 * d * (q + 2 * kv), keysValues = 2.0 * d * 2 * kv;
        double full = qkv + 2.0 * q * d + 2.0 * 3 * d * RandomCheckpoint.Intermediate;
        int t = pair.Length, d0 = pair.FirstDifference;
        double flops = 0;
        long tokenBlocks = 0;
        for (int layer = 0; layer < n; layer++)
            for (int p = d0; p < t; p++)
            {
                int first = layer + 1; // resid_post (layer, p) changes blocks layer+1.. at positions p..
                for (int block = first; block < n; block++)
                    for (int pos = p; pos < t; pos++)
                    {
                        bool cleanInput = block == first && pos > p, last = block == n - 1;
                        tokenBlocks++;
                        if (last && pos < t - 1) flops += cleanInput ? 0 : keysValues;
                        else flops += full - (cleanInput ? qkv : 0) + 2.0 * 2 * q * (pos + 1); // + scores and values over pos + 1 keys
                    }
                flops += 2.0 * d * RandomCheckpoint.Vocab;
            }
        Console.WriteLine(string.Create(Inv, $"floor: {tokenBlocks} token-blocks, {flops / 1e12:F2} TFLOP at least"));
        return flops;
    }

    /// <summary>
    /// The floor of a sweep in <paramref name="dtype"/>: <paramref name="flops"/> at the rate of a large, well-shaped
    /// GEMM on the path that dtype's products take here (the native bf16 GEMM on a CPU with bf16 units; otherwise a
    /// bf16 sweep multiplies float32 shadow weights, so the float32 rate applies), measured now.
    /// </summary>
    private static (double Wall, double Cpu, double RateMin, double RateMax) Floor(double flops, ScalarType dtype)
    {
        var gemmDtype = dtype == ScalarType.BFloat16 && CpuBf16.HasNativeGemm ? ScalarType.BFloat16 : ScalarType.Float32;
        string path = dtype == ScalarType.Float32 ? "float32" : CpuBf16.HasNativeGemm ? "native bf16" : "float32 (shadow weights)";
        const int d = RandomCheckpoint.Hidden, inter = RandomCheckpoint.Intermediate;
        var (peak, peakCpu, min, max) = GemmRate(512, d, inter, gemmDtype);
        double floor = flops / 1e9 / peak;
        Console.WriteLine(string.Create(Inv,
            $"{dtype} floor: its products run as {path} GEMMs; [512x{d}]x[{d}x{inter}] runs at {peak:F0} GFLOP/s now " +
            $"({min:F0}-{max:F0} over 0.3 s windows), so no exact {dtype} sweep can take less than {floor:F2} s here " +
            $"({flops / 1e9 / max:F2}-{flops / 1e9 / min:F2} s at the windows' rates; {flops / 1e9 / peakCpu:F1} CPU s at its " +
            $"{peakCpu:F0} GFLOP per CPU second; load average {LoadAverage()})"));
        return (floor, flops / 1e9 / peakCpu, min, max);
    }

    /// <summary>
    /// <c>native</c>, or <c>avx2</c> when libtorch is held to AVX2 on a CPU with more (how an AVX2-only CPU's code paths
    /// are measured on this one): ATen's kernels (<c>ATEN_CPU_CAPABILITY=avx2</c>), oneDNN's (<c>ONEDNN_MAX_CPU_ISA=AVX2</c>),
    /// MKL's (<c>MKL_ENABLE_INSTRUCTIONS=AVX2</c>) and bf16 products routed through float32 as on such a CPU
    /// (<c>DEBUG_BF16_GEMM=float32</c>). Any other mix of those settings is <c>partial</c>. The variables are read by the
    /// native libraries when they load, so they are set before the run, not by it.
    /// </summary>
    internal static string Isa()
    {
        string? V(string name) => Environment.GetEnvironmentVariable(name)?.Trim().ToUpperInvariant();
        var capped = new[] { V("ATEN_CPU_CAPABILITY") == "AVX2", V("ONEDNN_MAX_CPU_ISA") == "AVX2", V("MKL_ENABLE_INSTRUCTIONS") == "AVX2",
            V(CpuBf16.OverrideVariable) == "FLOAT32" };
        bool any = V("ATEN_CPU_CAPABILITY") is not null || V("ONEDNN_MAX_CPU_ISA") is not null || V("MKL_ENABLE_INSTRUCTIONS") is not null;
        return capped.All(c => c) ? "avx2" : any ? "partial" : "native";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>
    /// The GEMM's rate over 3 s (wall and CPU time), and its lowest and highest rate over the ten 0.3 s windows of that
    /// time: on this project's 2-vCPU machines the AMX rate at 2 threads swings about 2x between windows (measured:
    /// 850-2050 GFLOP/s), so a single rate says little about the next 10 s.
    /// </summary>
    private static (double Wall, double Cpu, double Min, double Max) GemmRate(int m, int k, int nOut, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var a = randn(m, k).to_type(dtype);
        var w = randn(nOut, k).to_type(dtype);
        nn.functional.linear(a, w).Dispose();
        double perCall = 2.0 * m * k * nOut / 1e9;
        var total = Stopwatch.StartNew();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        int iters = 0;
        double min = double.PositiveInfinity, max = 0;
        for (int window = 0; window < 10; window++)
        {
            var sw = Stopwatch.StartNew();
            int calls = 0;
            while (sw.Elapsed.TotalSeconds < 0.3) { nn.functional.linear(a, w).Dispose(); calls++; }
            double rate = calls * perCall / sw.Elapsed.TotalSeconds;
            (min, max, iters) = (Math.Min(min, rate), Math.Max(max, rate), iters + calls);
        }
        double gflop = iters * perCall;
        return (gflop / total.Elapsed.TotalSeconds, gflop / (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds, min, max);
    }

    /// <summary>
    /// A generated 5-line program and its root-flipped twin as ids: the random checkpoint has no tokenizer, so the text
    /// is split the way byte-level BPE tokenizers split code (letters, single digits, punctuation runs with a leading
    /// space, newlines, spaces) and each piece is hashed to an id. The answers are the two root digits' ids.
    /// </summary>
    internal static (PatchingPair Pair, string Text) Program(ulong seed)
    {
        var original = new VariableBindingGenerator().Generate(5, new DeterministicRng(seed));
        var twin = VariableBindingCounterfactual.FlipRoot(original.Program, new DeterministicRng(seed + 1));
        var clean = Pieces().Matches(original.Program).Select(m => Id(m.Value)).ToList();
        var cf = Pieces().Matches(twin.Counterfactual.Program).Select(m => Id(m.Value)).ToList();
        var pair = new PatchingPair(clean, cf, (int)Id(original.Expected), (int)Id(twin.Counterfactual.Expected));
        return (pair, original.Program);
    }

    [GeneratedRegex(@"[A-Za-z]+|\d| ?[^\sA-Za-z\d]+|\n| ")]
    private static partial Regex Pieces();

    // FNV-1a, folded into the vocabulary: deterministic across runs and machines.
    private static long Id(string piece)
    {
        uint h = 2166136261;
        foreach (char ch in piece) h = (h ^ ch) * 16777619;
        return h % RandomCheckpoint.Vocab;
    }

    private static double ArgDouble(string[] args, string name, double fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], Inv) : fallback;
    }

    private static int ArgInt(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], Inv) : fallback;
    }
}
