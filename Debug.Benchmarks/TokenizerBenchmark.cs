using System.Diagnostics;
using System.Globalization;
using Debug.Core.Prompts;
using Debug.Core.Tasks;
using Debug.Core.Tokenization;

namespace Debug.Benchmarks;

/// <summary>
/// Load time and encoding throughput of the fixture tokenizers (qwen3, llama3, llama2) and GPT-2. Targets: Qwen3
/// loads in at most 1 s and encodes at least 1 M characters/s. Options: <c>--runs N</c> (default 5),
/// <c>--dir PATH</c> (folder with &lt;name&gt;.tokenizer.json.gz; default Debug.Core.Tests/Fixtures/tokenizers).
/// </summary>
public sealed class TokenizerBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "tokenizer";

    /// <inheritdoc />
    public string Description => "tokenizer load time and encode chars/s (qwen3, llama3, llama2, gpt2)";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        int runs = IntArg(args, "--runs", 5);
        string dir = StringArg(args, "--dir") ?? Path.Combine(RepoRoot(), "Debug.Core.Tests", "Fixtures", "tokenizers");
        var corpus = Corpus(1_000_000);
        long chars = corpus.Sum(p => (long)p.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average {LoadAverage()}"));
        Console.WriteLine($"corpus: {corpus.Count} generated prompts, {chars:N0} chars; {runs} runs; medians");

        double qwenLoad = 0, qwenRate = 0;
        foreach (string name in new[] { "qwen3", "llama3", "llama2", "gpt2" })
        {
            var loads = new List<double>();
            var loadCpu = new List<double>();
            ModelTokenizer? tokenizer = null;
            for (int r = 0; r < runs; r++)
            {
                // CPU time next to wall time: on a shared machine the wall clock mostly measures the neighbours.
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                tokenizer = name == "gpt2" ? ModelTokenizer.Gpt2() : ModelTokenizer.FromFile(Path.Combine(dir, name + ".tokenizer.json.gz"));
                loads.Add(sw.Elapsed.TotalSeconds);
                loadCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            }
            var rates = new List<double>();
            long tokens = 0;
            for (int r = 0; r < runs; r++)
            {
                tokens = 0;
                var sw = Stopwatch.StartNew();
                foreach (var prompt in corpus) tokens += tokenizer!.Encode(prompt, addSpecialTokens: true).Count;
                rates.Add(chars / sw.Elapsed.TotalSeconds);
            }
            double load = Median(loads), rate = Median(rates);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-7} load {load:F3} s (first {loads[0]:F3} s; CPU {Median(loadCpu):F3} s, first {loadCpu[0]:F3} s)  encode {rate / 1e6:F2} M chars/s (first run {rates[0] / 1e6:F2})  {tokens:N0} tokens, {(double)chars / tokens:F2} chars/token"));
            if (name == "qwen3") (qwenLoad, qwenRate) = (load, rate);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tokenizer_load_s={qwenLoad:F3} tokenizer_encode_chars_s={qwenRate:F0}"));
        return 0;
    }

    // Prompts of the kinds the suite sends: every generator, rendered with each template in turn.
    private static List<string> Corpus(long targetChars)
    {
        var prompts = new List<string>();
        long total = 0;
        for (int seed = 0; total < targetChars; seed++)
        {
            var generator = TaskGenerators.All[seed % TaskGenerators.All.Count];
            var rng = new DeterministicRng((ulong)seed);
            var c = generator.Generate(Math.Min(generator.MaxSeqLen, 4 + rng.NextInt(9)), rng);
            var template = PromptTemplates.All[seed % PromptTemplates.All.Count];
            string text = template.Render(c.Program, c.Metadata.QueryVariable).Text;
            prompts.Add(text);
            total += text.Length;
        }
        return prompts;
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Debug.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }

    private static string? StringArg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int IntArg(string[] args, string name, int fallback) =>
        StringArg(args, name) is { } s && int.TryParse(s, CultureInfo.InvariantCulture, out int v) ? v : fallback;
}
