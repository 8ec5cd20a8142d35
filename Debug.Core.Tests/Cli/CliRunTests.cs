using System.Text.Json;
using Debug.Cli;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Cli;

/// <summary>The CLI's commands on the embedded model: each writes a run folder with its page.</summary>
public sealed class CliRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("debug-cli-runs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact(DisplayName = "CLI eval: a run folder with one gate row per group, the page, and exit 0 when every gate passes")]
    public void Eval()
    {
        string thresholds = Path.Combine(_root, "thresholds.json");
        File.WriteAllText(thresholds, """{ "thresholds": { "tiny": { "variable_binding": 0.3 } } }""");
        var (code, output, error) = CliHarness.Run("eval", "-t", "variable_binding", "counter", "--seq-len", "2,5", "-n", "4",
            "--thresholds", thresholds, "--results", _root, "--run-id", "eval-run");
        code.Should().Be(ExitCodes.Ok, output + error);
        string run = Path.Combine(_root, "eval-run");
        var gates = RunFolder.ReadGates(run);
        gates.Select(g => (g.Experiment, g.Group, g.Status)).Should().Equal(
            ("counter", "seqLen=2", GateRow.NotGated), ("counter", "seqLen=5", GateRow.NotGated),
            ("variable_binding", "seqLen=2", GateRow.Passed), ("variable_binding", "seqLen=5", GateRow.Passed));
        gates.Should().OnlyContain(g => g.N == 4 && g.Folder != null && Directory.Exists(Path.Combine(run, g.Folder)));
        File.Exists(Path.Combine(run, RunFolder.IndexFile)).Should().BeTrue();
        RunFolder.ReadInfo(run).Models.Should().Equal("tiny");
        LatestRun.Resolve(_root).Should().Be(run);
        output.Should().Contain("variable_binding").And.Contain("passed").And.Contain("not gated");
    }

    [Fact(DisplayName = "CLI eval: a model that is not on disk says how to get it, exit 3")]
    public void EvalMissingModel()
    {
        var (code, output, _) = CliHarness.Run("eval", "-t", "counter", "-m", "no-such-org/no-such-model", "-n", "2", "--results", _root);
        code.Should().Be(ExitCodes.MissingModel);
        output.Should().Contain("huggingface-cli download no-such-org/no-such-model");
    }

    [Fact(DisplayName = "CLI trace: a missing model is one line saying how to get it, exit 3")]
    public void TraceMissingModel()
    {
        var (code, _, error) = CliHarness.Run("trace", "-m", "no-such-org/no-such-model", "--results", _root);
        code.Should().Be(ExitCodes.MissingModel);
        error.Should().Contain("huggingface-cli download no-such-org/no-such-model");
    }

    [Fact(DisplayName = "CLI trace: one subfolder per kind with records and heatmaps or knockout bars")]
    public void Trace()
    {
        var (code, output, error) = CliHarness.Run("trace", "--seed", "1", "--hops", "1", "--seq-len", "3", "--kinds", "resid-pre", "heads", "knockout",
            "--results", _root, "--run-id", "trace-run");
        code.Should().Be(ExitCodes.Ok, output + error);
        string run = Path.Combine(_root, "trace-run");
        var folders = Directory.GetDirectories(run).Select(Path.GetFileName).ToList();
        folders.Should().HaveCount(3).And.Contain(f => f!.StartsWith("tracing_residpre_tiny_h1_l3_s1_"))
            .And.Contain(f => f!.StartsWith("tracing_heads_tiny_h1_l3_s1_")).And.Contain(f => f!.StartsWith("tracing_knockout_tiny_h1_l3_s1_"));
        Directory.GetFiles(run, "heatmap_resid_pre.png", SearchOption.AllDirectories).Should().ContainSingle();
        Directory.GetFiles(run, "knockout_bars.png", SearchOption.AllDirectories).Should().ContainSingle();
        File.ReadAllText(Path.Combine(run, RunFolder.IndexFile)).Should().Contain("heatmap_resid_pre.png").And.Contain("knockout_bars.png");
    }

    [Fact(DisplayName = "CLI trace --program: a pair from files is swept like the generated one (same effects), without knockout by default")]
    public void TraceFromFiles()
    {
        using var loaded = LoadedModel.Load(ModelReference.Parse(ModelReference.EmbeddedName));
        var c = BindingTracingCase.Create(loaded.Tokenizer, 1, 3, 1);
        string clean = Path.Combine(_root, "clean.py"), cf = Path.Combine(_root, "cf.py");
        File.WriteAllText(clean, c.Twin.Original.Program);
        File.WriteAllText(cf, c.Twin.Counterfactual.Program);
        var (code, output, error) = CliHarness.Run("trace", "--program", clean, "--counterfactual", cf, "--answer", c.Twin.Original.Expected,
            "--counterfactual-answer", c.Twin.Counterfactual.Expected, "--results", _root, "--run-id", "files");
        code.Should().Be(ExitCodes.Ok, output + error);
        CliHarness.Run("trace", "--seed", "1", "--hops", "1", "--seq-len", "3", "--kinds", "resid-pre", "resid-post", "mlp", "heads",
            "--results", _root, "--run-id", "generated").Code.Should().Be(ExitCodes.Ok);
        var fromFiles = Directory.GetDirectories(Path.Combine(_root, "files")).Select(Path.GetFileName).Order().ToList();
        fromFiles.Should().HaveCount(4).And.OnlyContain(f => f!.Contains("_tiny_clean_"));
        foreach (string kind in new[] { "residpre", "residpost", "mlp", "heads" })
        {
            string Effects(string run) => string.Join(",", JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(
                    Directory.GetDirectories(Path.Combine(_root, run), $"tracing_{kind}_*").Single(), "intervention_results.json").Single()))
                .RootElement.GetProperty("interventions").EnumerateArray().Select(r => r.GetProperty("normalized_effect").ToString()));
            Effects("files").Should().Be(Effects("generated"), "{0}: the same prompts give the same effects", kind);
        }
    }

    [Theory(DisplayName = "CLI trace --program: incomplete or conflicting options are refused by name, exit 2")]
    [InlineData("--counterfactual", "--program", "clean.py", "--answer", "1", "--counterfactual-answer", "2")]
    [InlineData("--seed", "--program", "clean.py", "--counterfactual", "cf.py", "--answer", "1", "--counterfactual-answer", "2", "--seed", "4")]
    [InlineData("knockout", "--program", "clean.py", "--counterfactual", "long.py", "--answer", "1", "--counterfactual-answer", "2", "--kinds", "knockout")]
    [InlineData("--program", "--program", "clean.py", "--counterfactual", "long.py", "--answer", "1", "--counterfactual-answer", "2", "--kinds", "mlp")]
    public void TraceFromFilesRefused(string named, params string[] args)
    {
        File.WriteAllText(Path.Combine(_root, "clean.py"), "a = 1\n#a: ");
        File.WriteAllText(Path.Combine(_root, "cf.py"), "a = 2\n#a: ");
        File.WriteAllText(Path.Combine(_root, "long.py"), "a = 2\nb = 3\n#a: ");
        string[] full = ["trace", .. args.Select(a => a.EndsWith(".py", StringComparison.Ordinal) ? Path.Combine(_root, a) : a), "--results", _root];
        var (code, _, error) = CliHarness.Run(full);
        code.Should().Be(ExitCodes.BadArguments, error);
        error.Should().Contain(named);
    }

    [Fact(DisplayName = "CLI seeds: seeds.json lists robust seeds the model answers on both prompts")]
    public void Seeds()
    {
        var (code, output, error) = CliHarness.Run("seeds", "--hops", "1", "--seq-len", "5", "--count", "2", "--results", _root, "--run-id", "seeds-run");
        code.Should().Be(ExitCodes.Ok, output + error);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "seeds-run", "seeds.json")));
        var row = doc.RootElement.EnumerateArray().Should().ContainSingle().Subject;
        row.GetProperty("mode").GetString().Should().Be("robust");
        var seeds = row.GetProperty("seeds").EnumerateArray().Select(s => s.GetUInt64()).ToList();
        seeds.Should().HaveCount(2);
        using var loaded = LoadedModel.Load(ModelReference.Parse(ModelReference.EmbeddedName));
        foreach (ulong seed in seeds)
            RobustSeeds.IsRobust(loaded.Model, BindingTracingCase.Create(loaded.Tokenizer, 1, 5, seed)).Should().BeTrue();
    }

    [Fact(DisplayName = "CLI report: rebuilds index.html of the latest run")]
    public void Report()
    {
        var run = Reports.RunFolderFixture.Create(_root, "report-run");
        File.Delete(Path.Combine(run.Path, RunFolder.IndexFile));
        var (code, output, error) = CliHarness.Run("report", "--results", _root);
        code.Should().Be(ExitCodes.Ok, error);
        output.Trim().Should().Be(Path.Combine(run.Path, RunFolder.IndexFile));
        File.ReadAllText(Path.Combine(run.Path, RunFolder.IndexFile)).Should().Contain("variable_binding_hops");
    }
}
