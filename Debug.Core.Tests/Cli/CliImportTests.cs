using System.Text.Json;
using Debug.Cli;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Cli;

/// <summary><c>debug import</c> on the Python framework's own results files: exit codes, what it prints, what it writes.</summary>
public sealed class CliImportTests : IDisposable
{
    private readonly Debug.Core.Tests.Experiments.TempFolder _temp = new();
    private string Root => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private static string Fixture(string run) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "python-results", run, "results.json");

    [Fact(DisplayName = "CLI import: a framework run becomes a Debug run folder whose accuracies equal its summary.json, exit 0")]
    public void ImportsAndAgrees()
    {
        string output = Path.Combine(Root, "binding");
        var (code, stdout, error) = CliHarness.Run("import", Fixture("variable_binding_hops_test_20250606_140612"), "--out", output);

        code.Should().Be(ExitCodes.Ok, error);
        stdout.Should().Contain("imported 240 records").And.Contain("overall accuracy 0.3875")
            .And.Contain("make_variable_binding_program").And.Contain("accuracies all equal the framework's");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, ResultsWriter.SummaryFile)));
        summary.RootElement.GetProperty("overall").GetProperty("correct").GetInt32().Should().Be(93);
        File.Exists(Path.Combine(output, ResultsWriter.ResultsFile)).Should().BeTrue();
    }

    [Fact(DisplayName = "CLI import: a summary.json that disagrees is printed number by number, exit 1")]
    public void Disagreement()
    {
        string folder = Path.Combine(Root, "edited");
        Directory.CreateDirectory(folder);
        File.Copy(Fixture("basic_range_20250527_140240"), Path.Combine(folder, "results.json"));
        File.WriteAllText(Path.Combine(folder, "summary.json"),
            """{"experiment":"basic_range","total_samples":15,"overall_accuracy":0.9,"by_model":{"Qwen/Qwen3-0.6B":0.8666666666666667},"by_seq_len":{"2":0.8,"3":1.0}}""");

        var (code, stdout, _) = CliHarness.Run("import", Path.Combine(folder, "results.json"), "--out", Path.Combine(Root, "edited-out"));

        code.Should().Be(ExitCodes.Failed);
        stdout.Should().Contain("DISAGREES").And.Contain("overall_accuracy: framework 0.9, Debug 0.8666666666666667");
    }

    [Fact(DisplayName = "CLI import: a non-empty output folder or a missing file is one line on stderr naming it, exit 2")]
    public void BadInput()
    {
        string busy = Path.Combine(Root, "busy");
        Directory.CreateDirectory(busy);
        File.WriteAllText(Path.Combine(busy, "keep.txt"), "mine");
        var (code, _, error) = CliHarness.Run("import", Fixture("basic_range_20250527_140240"), "--out", busy);
        code.Should().Be(ExitCodes.BadArguments);
        error.TrimEnd().Should().NotContain("\n").And.StartWith("debug: import:").And.Contain(busy);
        File.ReadAllText(Path.Combine(busy, "keep.txt")).Should().Be("mine");

        string missing = Path.Combine(Root, "no-such-results.json");
        (code, _, error) = CliHarness.Run("import", missing, "--out", Path.Combine(Root, "out"));
        code.Should().Be(ExitCodes.BadArguments);
        error.Should().Contain("no-such-results.json");
    }
}
