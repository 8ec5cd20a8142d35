using System.Text.Json;
using Debug.Core.Experiments.PythonImport;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>Importing the Python framework's results.json: its accuracies, regenerated programs, Debug's run files.</summary>
public sealed class PythonImportTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Fixture(string run) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "python-results", run, "results.json");

    [Fact(DisplayName = "Importing a binding run reproduces its summary.json exactly and regenerates all 240 programs")]
    public void BindingRun()
    {
        string source = Fixture("variable_binding_hops_test_20250606_140612");
        string before = File.ReadAllText(source);
        var report = PythonResultsImport.Run(source, _temp.Sub("binding"));

        report.Records.Should().Be(240);
        report.SummaryAgrees.Should().BeTrue(string.Join("; ", report.Disagreements));
        report.Accuracy.OverallAccuracy.Should().Be(0.3875);
        report.Accuracy.ByModel["Qwen/Qwen3-0.6B"].Should().Be(0.08333333333333333);
        report.Accuracy.BySeqLen["15"].Should().Be(0.275);
        report.Regeneration!.Generator.Should().Be("make_variable_binding_program");
        report.Regeneration.Seeding.Should().Be(PythonSeeding.PerCase);
        // Its generator then wrote "#q:" without the trailing space; every program matches up to it.
        report.Regeneration.QueryWithoutSpace.Should().Be(240);
        report.Regeneration.Exact.Should().Be(0);
        report.Regeneration.AnswersMatch.Should().Be(240);
        File.ReadAllText(source).Should().Be(before, "an import never modifies its input");

        string folder = report.OutputFolder;
        foreach (string file in new[] { ResultsWriter.ResultsFile, ResultsWriter.SummaryFile, ResultsWriter.CsvFile, ResultsWriter.PlotFile, PythonResultsImport.ReportFile })
            File.Exists(Path.Combine(folder, file)).Should().BeTrue(file);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ResultsWriter.SummaryFile)));
        var overall = summary.RootElement.GetProperty("overall");
        overall.GetProperty("correct").GetInt32().Should().Be(93);
        overall.GetProperty("ci_low").GetDouble().Should().BeInRange(0.32, 0.3875);
        overall.GetProperty("ci_high").GetDouble().Should().BeInRange(0.3875, 0.46);
        var cases = ResultsWriter.ReadCases(Path.Combine(folder, ResultsWriter.ResultsFile));
        cases.Should().HaveCount(240);
        cases[0].Model.Should().Be("Qwen/Qwen3-0.6B");
        cases[0].Hops.Should().Be(4);
        cases[0].TrueAnswer.Should().Be(0L);
    }

    [Fact(DisplayName = "Importing a run of the old shared-stream runner finds RandomState(12345) and reproduces its summary")]
    public void SharedStreamRun()
    {
        var report = PythonResultsImport.Run(Fixture("basic_range_20250527_140240"), _temp.Sub("range"));
        report.SummaryAgrees.Should().BeTrue(string.Join("; ", report.Disagreements));
        report.Accuracy.OverallAccuracy.Should().Be(0.8666666666666667);
        report.Regeneration.Should().Be(new RegenerationMatch("make_range_program", PythonSeeding.SharedStream, 15, 0, 15, 15));
    }

    [Fact(DisplayName = "A summary that disagrees is reported number by number")]
    public void DisagreementIsReported()
    {
        string folder = _temp.Sub("edited");
        Directory.CreateDirectory(folder);
        File.Copy(Fixture("basic_range_20250527_140240"), Path.Combine(folder, "results.json"));
        File.WriteAllText(Path.Combine(folder, "summary.json"),
            """{"experiment":"basic_range","total_samples":15,"overall_accuracy":0.9,"by_model":{"Qwen/Qwen3-0.6B":0.8666666666666667},"by_seq_len":{"2":0.8,"3":1.0}}""");
        var report = PythonResultsImport.Run(Path.Combine(folder, "results.json"), _temp.Sub("edited-out"));
        report.SummaryAgrees.Should().BeFalse();
        report.Disagreements.Should().BeEquivalentTo("overall_accuracy: framework 0.9, Debug 0.8666666666666667", "by_seq_len.4: framework absent, Debug 0.8");
    }

    [Fact(DisplayName = "A record without a field is an InvalidDataException naming file, record and field")]
    public void MalformedRecord()
    {
        string path = Path.Combine(_temp.Sub("bad"), "results.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """[{"experiment":"x","model_id":"m","seq_len":2,"seq_id":0,"program":"p","true_answer":1,"predicted_answer":null,"raw_output":""}]""");
        var act = () => PythonResultsImport.Run(path, _temp.Sub("bad-out"));
        act.Should().Throw<InvalidDataException>().WithMessage($"*{path}*record 0*'correct'*");
    }

    [Fact(DisplayName = "An import refuses a non-empty output folder")]
    public void RefusesNonEmptyOutput()
    {
        string folder = _temp.Sub("busy");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "mine");
        var act = () => PythonResultsImport.Run(Fixture("basic_range_20250527_140240"), folder);
        act.Should().Throw<IOException>().WithMessage("*not empty*");
        File.ReadAllText(Path.Combine(folder, "keep.txt")).Should().Be("mine");
    }
}
