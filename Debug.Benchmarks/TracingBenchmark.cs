using System.Diagnostics;
using System.Globalization;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Interventions;

namespace Debug.Benchmarks;

/// <summary>
/// What one tracing group costs on the Qwen3-0.6B-shaped random checkpoint (real Qwen3 tokenizer) in float32, the
/// suite's dtype: the robust-seed search over every seed below the limit (a random model answers none, the worst
/// case), then each row kind once on the group's first case (the first robust seed, else seed 0: a row's cost does
/// not depend on whether the model answers): the full token x layer resid_pre and hook_mlp_out sweeps, hook_z of
/// every head at the prediction, the knockout conditions a real checkpoint gets. Each part is timed once (the longest
/// run minutes), so on a shared machine the numbers are noisy. <c>--write-checkpoint DIR</c> only writes the checkpoint.
/// </summary>
public sealed class TracingBenchmark : IBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <inheritdoc />
    public string Name => "tracing";

    /// <inheritdoc />
    public string Description => "cost of one tracing group (seed search, residual, MLP, head, knockout rows), Qwen3-0.6B-shaped random, fp32";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--write-checkpoint");
        if (at >= 0 && at + 1 < args.Length)
        {
            // Only write the checkpoint (e.g. into an HF cache snapshot folder, to time the test suite on it) and stop.
            RandomCheckpoint.Write(args[at + 1]);
            CopyQwenTokenizer(args[at + 1]);
            Console.WriteLine($"Qwen3-0.6B-shaped random checkpoint with the Qwen3 tokenizer written to {Path.GetFullPath(args[at + 1])}");
            return 0;
        }
        int lines = Option(args, "--lines", 5), hops = Option(args, "--hops", 1), limit = Option(args, "--limit", 200);
        // The suite's thread rule for a real checkpoint: one thread on a machine of two cores or fewer, else libtorch's default.
        int threads = Option(args, "--threads", Environment.ProcessorCount <= 2 ? 1 : 0);
        if (threads > 0) Debug.Core.TorchRuntime.SetThreads(threads);
        string folder = Path.Combine(Path.GetTempPath(), "debug-tracing-bench-" + Environment.ProcessId);
        try
        {
            RandomCheckpoint.Write(folder);
            CopyQwenTokenizer(folder);
            using var cache = new ModelCache();
            var sw = Stopwatch.StartNew();
            var loaded = cache.Get(ModelReference.Parse(folder));
            Console.WriteLine(string.Create(Inv, $"loaded in {sw.Elapsed.TotalSeconds:F1} s, torch threads {TorchSharp.torch.get_num_threads()}"));
            var model = loaded.Model;

            var search = new RobustSeedSearch(model, loaded.Tokenizer, hops, lines, (ulong)limit);
            var last = Stopwatch.StartNew();
            var seeds = search.Extend(1, new Callback<SeedSearchProgress>(p =>
            {
                if (last.Elapsed.TotalSeconds < 10 && !p.Done) return;
                Console.WriteLine(p);
                last.Restart();
            }));
            var cost = search.Progress;
            Console.WriteLine($"search: {cost.Found} robust seed(s) after {cost.Cost}");

            var c = BindingTracingCase.Create(loaded.Tokenizer, hops, lines, seeds.Count > 0 ? seeds[0] : 0);
            int layers = model.NumLayers, heads = model.NumHeads;
            var all = Enumerable.Range(0, c.Pair.Length).ToList();
            double Sweep(string label, PatchKind kind, IEnumerable<int> positions, int h)
            {
                var cells = PatchCell.Grid(kind, layers, positions, h);
                sw.Restart();
                using var result = PatchSweep.Run(model, c.Pair, cells);
                double s = sw.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(Inv, $"{label}: {cells.Count} cells ({result.ComputedCells} computed) in {s:F1} s"));
                return s;
            }
            Console.WriteLine($"case: {c}, {c.Pair.Length} tokens, root at {c.Root}");
            double resid = Sweep("residual", PatchKind.ResidPre, all, 0);
            double mlp = Sweep("mlp", PatchKind.MlpOut, all, 0);
            double head = Sweep("heads", PatchKind.AttnHead, [c.Prediction], heads);
            var conditions = KnockoutCondition.DirectVersusChain(c.Prediction, c.LinkPositions, Enumerable.Range(0, layers), heads, "@all");
            sw.Restart();
            KnockoutRun.Run(model, c.Pair, conditions);
            double knockout = sw.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(Inv, $"knockout: {conditions.Count} conditions in {knockout:F1} s"));
            double rows = resid + mlp + head + knockout;
            Console.WriteLine(string.Create(Inv,
                $"one group, a model that answers: search + 4 rows = search + {rows:F0} s; a model that answers nothing: the search, {cost.Elapsed.TotalSeconds:F0} s"));
            Console.WriteLine(string.Create(Inv,
                $"tracing_lines={lines} tracing_tokens={c.Pair.Length} search_s={cost.Elapsed.TotalSeconds:F1} search_programs={cost.Tried} " +
                $"resid_s={resid:F1} mlp_s={mlp:F1} heads_s={head:F1} knockout_s={knockout:F1}"));
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    // The random checkpoint needs a tokenizer with Qwen3's ids; the test fixtures hold the real one (gzipped).
    private static void CopyQwenTokenizer(string folder)
    {
        string root = RepositoryPaths.FindRoot() ?? throw new InvalidOperationException("Run from inside the repository (needs the Qwen3 tokenizer fixture).");
        string fixtures = Path.Combine(root, "Debug.Core.Tests", "Fixtures", "tokenizers");
        File.Copy(Path.Combine(fixtures, "qwen3.tokenizer.json.gz"), Path.Combine(folder, "tokenizer.json.gz"));
        File.Copy(Path.Combine(fixtures, "qwen3.tokenizer_config.json"), Path.Combine(folder, "tokenizer_config.json"));
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, Inv, out int v) ? v : fallback;
    }

    private sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
