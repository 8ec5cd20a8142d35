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

            double flops = PrefillFlops();
            var (bf16TokS, bf16Gflops) = Prefill(folder, ScalarType.BFloat16, flops);
            var (fp32TokS, fp32Gflops) = Prefill(folder, ScalarType.Float32, flops);
            double mmBf16 = MatmulGflops(ScalarType.BFloat16), mmFp32 = MatmulGflops(ScalarType.Float32);
            Console.WriteLine($"matmul [640x1024]·[1024x3072]: bf16 {mmBf16:F1} GFLOP/s, fp32 {mmFp32:F1} GFLOP/s");
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
        var ids = randint(0, RandomCheckpoint.Vocab, [Batch, Tokens], dtype: ScalarType.Int64);
        var mask = ones(Batch, Tokens, dtype: ScalarType.Int64);
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

    private static double MatmulGflops(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        int m = Batch * Tokens, k = RandomCheckpoint.Hidden, n = RandomCheckpoint.Intermediate;
        var a = randn(m, k).to_type(dtype);
        var b = randn(k, n).to_type(dtype);
        matmul(a, b).Dispose();
        var rates = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 5; i++) matmul(a, b).Dispose();
            rates.Add(5 * 2.0 * m * k * n / sw.Elapsed.TotalSeconds / 1e9);
        }
        return Median(rates);
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
