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
