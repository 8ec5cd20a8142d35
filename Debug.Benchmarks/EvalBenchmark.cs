using System.Globalization;
using Debug.Core;
using Debug.Core.Experiments;
using Debug.Core.Prompts;
using Debug.Core.Tasks.Generators;

namespace Debug.Benchmarks;

/// <summary>
/// The experiment runner's throughput (cases/s and generated tokens/s, generation and scoring, model load excluded)
/// on the embedded model and on a Qwen3-0.6B-shaped random checkpoint (float32, as the runner computes), at batch
/// sizes 1, 8 and 32, on variable-binding prompts. Options: --threads N (default: libtorch's), --cases N
/// (embedded model, default 64), --qwen-cases N (default 32), --skip-qwen, --embedded DIR (another folder in place of
/// models/tiny, e.g. a freshly trained checkpoint). Then, on the Qwen3 shape, range-tracking prompts (the Python
/// framework's template, as the suite renders it: prefix_speedup; Debug's short one: prefix_speedup_short_template)
/// with and without the shared prefix computed once per batch (--prefix-batch N, default 32; --prefix-runs N, default 3;
/// --prefix-only skips the other measurements).
/// </summary>
public sealed class EvalBenchmark : IBenchmark
{
    private static readonly int[] BatchSizes = [1, 8, 32];

    /// <inheritdoc />
    public string Name => "eval";

    /// <inheritdoc />
    public string Description => "experiment runner cases/s and tok/s: embedded model and Qwen3-0.6B-shaped random checkpoint, batch 1/8/32";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        int threads = Option(args, "--threads", 0), cases = Option(args, "--cases", 64), qwenCases = Option(args, "--qwen-cases", 32);
        if (threads > 0) TorchRuntime.SetThreads(threads);
        Console.WriteLine($"torch threads: {TorchSharp.torch.get_num_threads()}");

        double embedded = double.NaN;
        int at = Array.IndexOf(args, "--embedded");
        string? tiny = at >= 0 && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : EmbeddedFolder();
        if (tiny is null) Console.WriteLine("embedded model: models/tiny is not in this checkout; skipped");
        else if (!args.Contains("--prefix-only")) embedded = Measure(at >= 0 ? $"embedded ({tiny})" : "embedded (models/tiny)", tiny, cases, seqLen: 10).CasesS;

        (double CasesS, double TokS) qwen = (double.NaN, double.NaN);
        (double Speedup, double ShortSpeedup, bool Identical) prefix = (double.NaN, double.NaN, false);
        if (!args.Contains("--skip-qwen"))
        {
            string folder = Path.Combine(Path.GetTempPath(), "debug-eval-bench-" + Environment.ProcessId);
            try
            {
                RandomCheckpoint.Write(folder);
                CopyQwenTokenizer(folder);
                qwen = Measure("qwen3-0.6B-shaped random", folder, qwenCases, seqLen: 5,
                    model => prefix = PrefixSharing(model, qwenCases, Option(args, "--prefix-batch", 32), Option(args, "--prefix-runs", 3)),
                    batchSizes: args.Contains("--prefix-only") ? [] : BatchSizes);
            }
            finally
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"eval_embedded_cases_s={embedded:F1} eval_qwen3_0_6b_cases_s={qwen.CasesS:F2} eval_qwen3_0_6b_tok_s={qwen.TokS:F1} " +
            $"prefix_speedup={prefix.Speedup:F2} prefix_speedup_short_template={prefix.ShortSpeedup:F2} outputs_identical={(prefix.Identical ? 1 : 0)}"));
        return 0;
    }

    // Reports every batch size and returns the best one's numbers (what a run would use).
    private static (double CasesS, double TokS) Measure(string label, string folder, int cases, int seqLen, Action<LoadedModel>? then = null,
        int[]? batchSizes = null)
    {
        using var runner = new ExperimentRunner(new RunnerOptions { WriteFiles = false });
        var load = System.Diagnostics.Stopwatch.StartNew();
        runner.Preload(folder);
        Console.WriteLine($"{label}: loaded in {load.Elapsed.TotalSeconds:F1} s");
        var config = ExperimentConfig.Quick("eval_bench", PromptTemplates.VariableBinding, new VariableBindingGenerator(), cases,
            seqLens: [seqLen], models: [folder], maxNewTokens: 4);
        runner.Run(config with { SequencesPerLength = Math.Min(cases, 4), BatchSize = 4 }); // warm-up
        (double CasesS, double TokS) best = (0, 0);
        foreach (int batch in batchSizes ?? BatchSizes)
        {
            var result = runner.Run(config with { BatchSize = batch });
            var tokenizer = runner.Models.Get(ModelReference.Parse(folder)).Tokenizer;
            long promptTokens = result.Cases.Sum(c => (long)tokenizer.Encode(c.Prompt).Count);
            double processed = (promptTokens + result.GeneratedTokens) / result.InferenceTime.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: batch {batch,2}: {result.CasesPerSecond,8:F2} cases/s {result.TokensPerSecond,8:F1} generated tok/s " +
                $"{processed,8:F0} prompt+generated tok/s ({result.Cases.Count} cases, {promptTokens / (double)result.Cases.Count:F0} prompt " +
                $"tokens each, {result.GeneratedTokens} generated, {result.InferenceTime.TotalSeconds:F1} s)"));
            if (result.CasesPerSecond > best.CasesS) best = (result.CasesPerSecond, result.TokensPerSecond);
        }
        then?.Invoke(runner.Models.Get(ModelReference.Parse(folder)));
        return best.CasesS > 0 ? best : (double.NaN, double.NaN); // NaN: no batch size was measured (--prefix-only)
    }

    /// <summary>
    /// Range-tracking prompts in the Python framework's template (<c>RANGE_TRACKING</c>, as the suite's range
    /// experiments render it since the task families became the framework's: about 60 instruction tokens shared by every
    /// prompt) and in Debug's own short one, each completed in batches of <paramref name="batch"/> with and without the
    /// shared prefix computed once per batch. Returns the framework template's ratio, the short template's, and whether
    /// every completion of both is token-identical.
    /// </summary>
    private static (double Speedup, double ShortSpeedup, bool Identical) PrefixSharing(LoadedModel model, int cases, int batch, int runs)
    {
        var framework = new Debug.Core.Tasks.PythonCompat.Generators.PythonRangeProgramGenerator();
        var frameworkPrompts = Enumerable.Range(0, cases)
            .Select(i => PythonPromptTemplates.RangeTracking.Render(framework.Generate(5, new Debug.Core.Tasks.PythonCompat.NumpyRandomState(i)).Program).Text)
            .ToList();
        var generator = new RangeLoopGenerator();
        var shortPrompts = Enumerable.Range(0, cases)
            .Select(i => PromptTemplates.RangeTracking.Render(generator.Generate(5, new Debug.Core.Tasks.DeterministicRng(CaseSeeds.For(42, i))).Program, "x").Text)
            .ToList();
        BatchCompletion.Run(model, frameworkPrompts.Take(Math.Min(batch, 4)).ToList(), 4, batch, sharePrefix: true); // warm-up
        var (speedup, identical) = PrefixSharing(model, "the framework's RANGE_TRACKING", frameworkPrompts, batch, runs);
        var (shortSpeedup, shortIdentical) = PrefixSharing(model, "Debug's range_tracking", shortPrompts, batch, runs);
        return (speedup, shortSpeedup, identical && shortIdentical);
    }

    // Alternating runs with and without sharing, so both see the same load; the ratio of the median times.
    private static (double Speedup, bool Identical) PrefixSharing(LoadedModel model, string label, IReadOnlyList<string> prompts, int batch, int runs)
    {
        var encoded = prompts.Select(p => (IReadOnlyList<int>)model.Tokenizer.Encode(p, addSpecialTokens: true).Ids.ToList()).ToList();
        double shared = encoded.Chunk(batch).Average(c => (double)Debug.Core.Model.Generation.SharedPrefix.Length(c));
        var times = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        var outputs = new Dictionary<bool, IReadOnlyList<Completion>>();
        for (int run = 0; run < Math.Max(1, runs); run++)
            foreach (bool share in new[] { false, true })
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                outputs[share] = BatchCompletion.Run(model, prompts, 4, batch, share);
                times[share].Add(sw.Elapsed.TotalSeconds);
            }
        double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
        bool identical = outputs[false].Zip(outputs[true]).All(p => p.First == p.Second);
        double without = prompts.Count / Median(times[false]), with = prompts.Count / Median(times[true]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shared prefix ({label}, {prompts.Count} prompts of {encoded.Average(e => e.Count):F0} tokens, batch {batch}, " +
            $"{shared:F0} tokens shared per batch): {without:F2} cases/s without, {with:F2} cases/s with, {with / without:F2}x; " +
            $"completions identical: {identical}"));
        return (with / without, identical);
    }

    private static string? EmbeddedFolder()
    {
        try { return ModelReference.Parse(ModelReference.EmbeddedName).ResolveFolder(); }
        catch (Debug.Core.Model.Loading.ModelNotFoundException) { return null; }
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
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : fallback;
    }
}
