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

    [Fact(DisplayName = "CLI eval --best-of --temperature --device cpu: samples are drawn and recorded, and the device is the one asked for")]
    public void EvalBestOf()
    {
        var (code, output, error) = CliHarness.Run("eval", "-t", "counter", "--seq-len", "3", "-n", "3", "--best-of", "2", "--temperature", "0.8",
            "--device", "cpu", "--results", _root, "--run-id", "best-of");
        code.Should().Be(ExitCodes.Ok, output + error);
        string folder = Path.Combine(_root, "best-of", "counter");
        using var models = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "models.json")));
        var record = models.RootElement.EnumerateArray().Should().ContainSingle().Subject;
        (record.GetProperty("best_of").GetInt32(), record.GetProperty("temperature").GetDouble()).Should().Be((2, 0.8));
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        results.RootElement.EnumerateArray().Should().HaveCount(3).And.OnlyContain(r => r.GetProperty("samples").GetArrayLength() == 2);
        RunFolder.ReadInfo(Path.Combine(_root, "best-of")).Settings.Should().Contain("device", "cpu").And.Contain("best of", "2");
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

    [Fact(DisplayName = "CLI trace: a model that is not on disk leaves no run folder behind")]
    public void TraceMissingModelLeavesNoFolder()
    {
        var (code, _, error) = CliHarness.Run("trace", "-m", "no-such-org/no-such-model", "--results", _root, "--run-id", "missing");
        code.Should().Be(ExitCodes.MissingModel, error);
        Directory.Exists(Path.Combine(_root, "missing")).Should().BeFalse("a run that wrote nothing is removed");
        LatestRun.Resolve(_root).Should().BeNull();
    }

    [Fact(DisplayName = "CLI trace: a run that fails after writing results is marked failed in run.json and on its page, and latest is not moved")]
    public void TraceFailingMidwayIsMarkedFailed()
    {
        // The first model traces; the second is not on disk, so the run stops with the first model's folders written.
        var (code, output, error) = CliHarness.Run("trace", "-m", "tiny", "no-such-org/no-such-model", "--seed", "1", "--hops", "1", "--seq-len", "3",
            "--kinds", "resid-post", "--results", _root, "--run-id", "partial");
        code.Should().Be(ExitCodes.MissingModel, error);
        string run = Path.Combine(_root, "partial");
        Directory.GetDirectories(run, "tracing_residpost_tiny_*").Should().ContainSingle("what was written is kept");
        var info = RunFolder.ReadInfo(run);
        info.Failure.Should().Contain("no-such-org/no-such-model");
        info.EndedUtc.Should().BeOnOrAfter(info.StartedUtc, "a failed run is ended, not left running");
        File.ReadAllText(Path.Combine(run, RunFolder.IndexFile)).Should().Contain("FAILED").And.Contain("no-such-org/no-such-model");
        LatestRun.Resolve(_root).Should().BeNull("latest points at completed runs only");
        output.Should().Contain("run failed").And.Contain(run);
    }

    [Fact(DisplayName = "CLI trace: an existing run folder continued by name is never removed by a failure")]
    public void TraceFailureKeepsContinuedFolder()
    {
        string run = Path.Combine(_root, "earlier");
        Directory.CreateDirectory(run);
        var (code, _, _) = CliHarness.Run("trace", "-m", "no-such-org/no-such-model", "--results", _root, "--run-id", "earlier");
        code.Should().Be(ExitCodes.MissingModel);
        Directory.Exists(run).Should().BeTrue();
        RunFolder.ReadInfo(run).Failure.Should().Contain("no-such-org/no-such-model");
    }

    [Fact(DisplayName = "CLI trace --generator make_variable_binding_program: the Python framework's program and twin for the seed, as the goldens have them")]
    public void TracePythonGenerator()
    {
        using var golden = JsonDocument.Parse(File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "seed-compat", "counterfactuals.jsonl"))
            .First(l => l.Contains("\"seq_len\":5,", StringComparison.Ordinal) && l.Contains("\"seed\":2,", StringComparison.Ordinal)));
        var row = golden.RootElement;
        var (code, output, error) = CliHarness.Run("trace", "--generator", "make_variable_binding_program", "--seed", "2", "--seq-len", "5",
            "--kinds", "resid-post", "knockout", "--results", _root, "--run-id", "python");
        code.Should().Be(ExitCodes.Ok, output + error);
        string run = Path.Combine(_root, "python");
        string folder = Directory.GetDirectories(run, "tracing_residpost_tiny_py_h3_l5_s2_*").Should().ContainSingle().Subject;
        Directory.GetDirectories(run, "tracing_knockout_tiny_py_h3_l5_s2_*").Should().ContainSingle();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "intervention_results.json")));
        doc.RootElement.GetProperty("clean_program").GetString().Should().Be(row.GetProperty("program").GetString());
        doc.RootElement.GetProperty("counterfactual_program").GetString().Should().Be(row.GetProperty("counterfactual_program").GetString());
        row.GetProperty("query_hops").GetInt32().Should().Be(3, "the folder name carries the program's depth");
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, TracingExperimentMetadata.FileName)));
        (metadata.RootElement.GetProperty("rng_seed").GetUInt64(), metadata.RootElement.GetProperty("hops").GetInt32()).Should().Be((2, 3));
        metadata.RootElement.GetProperty("generator").GetString().Should().StartWith("make_variable_binding_program");
    }

    [Theory(DisplayName = "CLI trace --generator make_variable_binding_program: a --hops other than the program's depth, or a seed numpy refuses, is named, exit 2")]
    [InlineData("--hops", "--hops", "1")]
    [InlineData("--seed", "--seed", "4294967296")]
    public void TracePythonGeneratorRefused(string named, params string[] args)
    {
        string[] full = ["trace", "--generator", "make_variable_binding_program", "--seq-len", "5", .. (args[0] == "--seed" ? args : ["--seed", "2", .. args]),
            "--results", _root, "--run-id", "refused"];
        var (code, _, error) = CliHarness.Run(full);
        code.Should().Be(ExitCodes.BadArguments, error);
        error.Should().Contain(named);
        Directory.Exists(Path.Combine(_root, "refused")).Should().BeFalse();
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
        // Refused before the run folder was made, or (the pair of different lengths) after: either way none is left.
        Directory.GetDirectories(_root).Should().BeEmpty();
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
