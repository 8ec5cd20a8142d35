using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Debug.Core;
using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Benchmarks;

/// <summary>
/// The model engine on a Qwen3-0.6B-shaped random checkpoint: load time and peak RSS (measured in a fresh child
/// process, since VmHWM is per process), prefill throughput for 8 × 80 tokens with logits at the last position in
/// bf16 and float32, and the achieved GFLOP/s as a fraction of a plain matmul's measured in the same run.
/// </summary>
public sealed class EngineBenchmark : IBenchmark
{
    private const int Batch = 8, Tokens = 80, Runs = 3;

    /// <inheritdoc />
    public string Name => "engine";

    /// <inheritdoc />
    public string Description => "Qwen3-0.6B-shaped random checkpoint: load time, peak RSS, bf16/fp32 prefill vs matmul rate";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        if (args.Length == 2 && args[0] == "--load-child") return LoadChild(args[1]);
        if (args.Length == 1 && args[0] == "--matmul-probe") return MatmulProbe();
        if (args.Length == 1 && args[0] == "--layer-probe") return LayerProbe();
        if (args.Length == 1 && args[0] == "--fusion-probe") return FusionProbe();
        var folder = Path.Combine(Path.GetTempPath(), "debug-engine-bench-" + Environment.ProcessId);
        try
        {
            var sw = Stopwatch.StartNew();
            RandomCheckpoint.Write(folder);
            long parameters = RandomCheckpoint.ParameterCount();
            double weightBytes = parameters * 2.0;
            Console.WriteLine($"wrote {parameters / 1e6:F0}M bf16 parameters ({weightBytes / 1e9:F2} GB) in {sw.Elapsed.TotalSeconds:F1} s");

            var loads = Enumerable.Range(0, Runs).Select(_ => RunLoadChild(folder)).ToList();
            double loadS = Median(loads.Select(l => l.Seconds)), rssBytes = Median(loads.Select(l => l.PeakRssBytes));
            Console.WriteLine($"load (bf16, fresh process): median {loadS:F2} s over {Runs}; peak RSS {rssBytes / 1e9:F2} GB = {rssBytes / weightBytes:F2}x the weights");
            if (args.Contains("--load-only")) return 0;

            double flops = PrefillFlops();
            var (bf16TokS, bf16Gflops) = Prefill(folder, ScalarType.BFloat16, flops);
            var (fp32TokS, fp32Gflops) = Prefill(folder, ScalarType.Float32, flops);
            double mmBf16 = MatmulGflops(ScalarType.BFloat16), mmFp32 = MatmulGflops(ScalarType.Float32);
            Console.WriteLine($"GEMM linear([8,80,1024], [3072,1024]): bf16 {mmBf16:F1} GFLOP/s, fp32 {mmFp32:F1} GFLOP/s");
            Console.WriteLine($"prefill bf16: {bf16TokS:F0} tok/s, {bf16Gflops:F1} GFLOP/s = {bf16Gflops / mmBf16:P0} of the bf16 matmul");
            Console.WriteLine($"prefill fp32: {fp32TokS:F0} tok/s, {fp32Gflops:F1} GFLOP/s = {fp32Gflops / mmFp32:P0} of the fp32 matmul");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"load_s={loadS:F2} rss_ratio={rssBytes / weightBytes:F2} prefill_bf16_tok_s={bf16TokS:F0} prefill_fp32_tok_s={fp32TokS:F0} bf16_matmul_fraction={bf16Gflops / mmBf16:F2}"));
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    // Linear layers dominate: 2 FLOPs per weight per token, plus attention scores and mixing, plus the LM head once per row.
    private static double PrefillFlops()
    {
        const int d = RandomCheckpoint.Hidden, h = RandomCheckpoint.Heads, kv = RandomCheckpoint.KvHeads, hd = RandomCheckpoint.HeadDim;
        double perLayerWeights = (double)d * h * hd * 2 + (double)d * kv * hd * 2 + 3.0 * d * RandomCheckpoint.Intermediate;
        double linear = 2.0 * Batch * Tokens * perLayerWeights * RandomCheckpoint.Layers;
        double attention = 2.0 * 2 * Batch * h * (double)Tokens * Tokens * hd * RandomCheckpoint.Layers;
        double head = 2.0 * Batch * d * RandomCheckpoint.Vocab;
        return linear + attention + head;
    }

    private static (double TokS, double Gflops) Prefill(string folder, ScalarType dtype, double flops)
    {
        using var model = CausalLanguageModel.Load(folder, dtype);
        using var scope = NewDisposeScope();
        manual_seed(1);
        var ids = randint(0, RandomCheckpoint.Vocab, [Batch, Tokens], dtype: ScalarType.Int64).to(model.Device);
        var mask = ones(Batch, Tokens, dtype: ScalarType.Int64, device: model.Device);
        model.Forward(ids, mask, logitPositions: [-1]).Dispose(); // warm-up
        var times = new List<double>();
        for (int r = 0; r < Runs; r++)
        {
            var sw = Stopwatch.StartNew();
            model.Forward(ids, mask, logitPositions: [-1]).Dispose();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        double t = Median(times);
        Console.WriteLine($"prefill {dtype}: runs {string.Join(", ", times.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))} s");
        return (Batch * Tokens / t, flops / t / 1e9);
    }

    // The reference GEMM is the one the model's projections run: linear(x [8, 80, 1024], W [3072, 1024]) with W
    // stored [out, in]. (On CPUs without bf16 units, bf16 matmul(a, b) with b [in, out] is far slower still.)
    private static double MatmulGflops(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        int k = RandomCheckpoint.Hidden, n = RandomCheckpoint.Intermediate;
        var a = randn(Batch, Tokens, k).to_type(dtype);
        var w = randn(n, k).to_type(dtype);
        nn.functional.linear(a, w).Dispose();
        var rates = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 3; i++) nn.functional.linear(a, w).Dispose();
            rates.Add(3 * 2.0 * Batch * Tokens * k * n / sw.Elapsed.TotalSeconds / 1e9);
        }
        return Median(rates);
    }

    // Which GEMM entry points are fast for each dtype on this CPU (bf16 kernels differ by op and by layout).
    private static int MatmulProbe()
    {
        int m = Batch * Tokens, k = RandomCheckpoint.Hidden, n = RandomCheckpoint.Intermediate;
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            using var scope = NewDisposeScope();
            var a = randn(m, k).to_type(dtype);
            var b = randn(k, n).to_type(dtype);
            var w = randn(n, k).to_type(dtype);
            var ops = new (string Name, Func<Tensor> Op)[]
            {
                ("matmul a·b", () => matmul(a, b)),
                ("matmul a·wT", () => matmul(a, w.t())),
                ("linear(a, w)", () => nn.functional.linear(a, w)),
                ("linear 3-D", () => nn.functional.linear(a.view(Batch, Tokens, k), w)),
            };
            var head = randn(RandomCheckpoint.Vocab, k).to_type(dtype);
            var last = randn(Batch, 1, k).to_type(dtype);
            foreach (var (name, op) in new (string, Func<Tensor>)[]
            {
                ("lm head linear [8,1,k]", () => nn.functional.linear(last, head)),
                ("lm head matmul [8,k]·headT", () => matmul(last.view(Batch, k), head.t())),
                ("lm head matmul head·xT", () => matmul(head, last.view(Batch, k).t())),
                ("lm head mv x1", () => mv(head, last.view(Batch, k)[0])),
                ("embedding index_select", () => head.index_select(0, randint(0, RandomCheckpoint.Vocab, [Batch * Tokens], dtype: ScalarType.Int64))),
            })
            {
                op().Dispose();
                var sw = Stopwatch.StartNew();
                int iters = 0;
                while (sw.Elapsed.TotalSeconds < 2) { op().Dispose(); iters++; }
                Console.WriteLine($"{dtype} {name}: {sw.Elapsed.TotalSeconds / iters * 1000:F1} ms");
            }
            foreach (var (name, op) in ops)
            {
                op().Dispose();
                var sw = Stopwatch.StartNew();
                int iters = 0;
                while (sw.Elapsed.TotalSeconds < 2) { op().Dispose(); iters++; }
                Console.WriteLine($"{dtype} {name}: {iters * 2.0 * m * k * n / sw.Elapsed.TotalSeconds / 1e9:F1} GFLOP/s");
            }
        }
        return 0;
    }

    // Forward time of a 2-layer model against its GEMMs alone, to see what the non-GEMM work costs.
    private static int LayerProbe()
    {
        var folder = Path.Combine(Path.GetTempPath(), "debug-engine-probe-" + Environment.ProcessId);
        try
        {
            foreach (var layers in new[] { 0, 2 })
            {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            RandomCheckpoint.Write(folder, layers);
            foreach (var dtype in new[] { ScalarType.Float32 })
            {
                using var model = CausalLanguageModel.Load(folder, dtype);
                using var scope = NewDisposeScope();
                var ids = randint(0, RandomCheckpoint.Vocab, [Batch, Tokens], dtype: ScalarType.Int64).to(model.Device);
                var mask = ones(Batch, Tokens, dtype: ScalarType.Int64, device: model.Device);
                double Time(Action a) { a(); var sw = Stopwatch.StartNew(); for (int i = 0; i < 3; i++) a(); return sw.Elapsed.TotalSeconds / 3; }
                double fwd = Time(() => model.Forward(ids, mask, logitPositions: [-1]).Dispose());
                double fwdNoMask = Time(() => model.Forward(ids, logitPositions: [-1]).Dispose());
                int d = RandomCheckpoint.Hidden, inter = RandomCheckpoint.Intermediate, hd = RandomCheckpoint.HeadDim;
                var x = randn(Batch, Tokens, d).to_type(dtype);
                var xi = randn(Batch, Tokens, inter).to_type(dtype);
                var xo = randn(Batch, Tokens, RandomCheckpoint.Heads * hd).to_type(dtype);
                var wq = randn(RandomCheckpoint.Heads * hd, d).to_type(dtype);
                var wk = randn(RandomCheckpoint.KvHeads * hd, d).to_type(dtype);
                var wo = randn(d, RandomCheckpoint.Heads * hd).to_type(dtype);
                var wg = randn(inter, d).to_type(dtype);
                var wd = randn(d, inter).to_type(dtype);
                double gemm = Time(() =>
                {
                    using var s2 = NewDisposeScope();
                    nn.functional.linear(x, wq); nn.functional.linear(x, wk); nn.functional.linear(x, wk); nn.functional.linear(xo, wo);
                    nn.functional.linear(x, wg); nn.functional.linear(x, wg); nn.functional.linear(xi, wd);
                });
                var q = randn(Batch, RandomCheckpoint.Heads, Tokens, hd).to_type(dtype);
                var am = zeros(Batch, 1, Tokens, Tokens).to_type(dtype);
                double sdpa = Time(() => nn.functional.scaled_dot_product_attention(q, q, q, am, 0, false).Dispose());
                Console.WriteLine($"{dtype}: forward({layers} layers) {fwd:F3} s (no mask {fwdNoMask:F3}), GEMMs per layer {gemm:F3} s, sdpa per layer {sdpa:F3} s");
            }
            }
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    // Separate q/k/v and gate/up projections against fused ones (one GEMM with the weights concatenated).
    private static int FusionProbe()
    {
        using var scope = NewDisposeScope();
        int d = RandomCheckpoint.Hidden, inter = RandomCheckpoint.Intermediate, hd = RandomCheckpoint.HeadDim;
        var x = randn(Batch, Tokens, d);
        var wq = randn(RandomCheckpoint.Heads * hd, d);
        var wk = randn(RandomCheckpoint.KvHeads * hd, d);
        var wv = randn(RandomCheckpoint.KvHeads * hd, d);
        var wg = randn(inter, d);
        var wu = randn(inter, d);
        var wqkv = cat([wq, wk, wv], 0);
        var wgu = cat([wg, wu], 0);
        double Time(Action a) { a(); var sw = Stopwatch.StartNew(); for (int i = 0; i < 10; i++) a(); return sw.Elapsed.TotalSeconds / 10; }
        for (int rep = 0; rep < 2; rep++)
        {
            double sep = Time(() => { using var s = NewDisposeScope(); nn.functional.linear(x, wq); nn.functional.linear(x, wk); nn.functional.linear(x, wv); });
            double fused = Time(() => { using var s = NewDisposeScope(); nn.functional.linear(x, wqkv).split([2048L, 1024, 1024], -1); });
            double sepMlp = Time(() => { using var s = NewDisposeScope(); nn.functional.linear(x, wg); nn.functional.linear(x, wu); });
            double fusedMlp = Time(() => { using var s = NewDisposeScope(); nn.functional.linear(x, wgu).chunk(2, -1); });
            Console.WriteLine($"qkv separate {sep * 1000:F1} ms fused {fused * 1000:F1} ms; gate/up separate {sepMlp * 1000:F1} ms fused {fusedMlp * 1000:F1} ms");
        }
        return 0;
    }

    private static (double Seconds, double PeakRssBytes) RunLoadChild(string folder)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in new[] { "engine", "--load-child", folder }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("child ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("load child failed:\n" + output);
        var kv = line[6..].Split(' ').Select(x => x.Split('=')).ToDictionary(x => x[0], x => double.Parse(x[1], CultureInfo.InvariantCulture));
        return (kv["load_s"], kv["vmhwm_kb"] * 1024);
    }

    // Runs in the child: the runtime is initialised first so the timer covers only the model load.
    private static int LoadChild(string folder)
    {
        TorchRuntime.EnsureLoaded();
        var sw = Stopwatch.StartNew();
        using var model = CausalLanguageModel.Load(folder, ScalarType.BFloat16);
        double s = sw.Elapsed.TotalSeconds;
        var hwm = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        long kb = long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"child load_s={s:F3} vmhwm_kb={kb}"));
        return 0;
    }

    private static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
