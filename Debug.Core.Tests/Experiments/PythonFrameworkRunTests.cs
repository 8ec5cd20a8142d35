using System.Text.Json;
using Debug.Core.Experiments;
using Debug.Core.Prompts;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tasks.PythonCompat.Generators;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>The runner on the Python framework's task families: its cases, its prompts, its field names in results.json.</summary>
public sealed class PythonFrameworkRunTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _sevens;

    public PythonFrameworkRunTests() => _sevens = TestCheckpoints.ConstantAnswer(_temp.Sub("sevens"), '7');

    public void Dispose() => _temp.Dispose();

    [Fact(DisplayName = "Case i of a Python-framework family is its runner's RandomState(i) program, rendered with its template")]
    public void CasesAreTheFrameworksPrograms()
    {
        var config = ExperimentConfig.Quick("variable_binding", "VARIABLE_BINDING", "make_variable_binding_program", 6, seqLens: [5], models: [_sevens]);
        var cases = ExperimentRunner.GenerateCases(config, 5, null);
        // From the framework (notes/seed-fidelity.md): RandomState(0), 5 lines.
        cases[0].Program.Should().Be("m = 0\nd = m\nv = d\nh = 1\ni = v\n#i: ");
        cases[0].Expected.Should().Be("0");
        for (int i = 0; i < cases.Count; i++)
            cases[i].Program.Should().Be(new PythonVariableBindingGenerator().Generate(5, new NumpyRandomState(i)).Program);
        config.Parser.Should().BeSameAs(AnswerParser.VariableBinding, "Debug's parsers stay the default");

        var range = ExperimentConfig.Quick("range_tracking_single", "RANGE_TRACKING", "make_range_program", 2, seqLens: [2], models: [_sevens]);
        range.Template.Render(ExperimentRunner.GenerateCases(range, 2, null)[0].Program).Text.Should()
            .EndWith("```python\nx = 0\nfor i in range(2):\n    x += 6\n```\n\nThe final value of x is: ");
    }

    [Fact(DisplayName = "A seed that would put RandomState beyond 2^32 - 1 is rejected naming Seed")]
    public void SeedRangeIsChecked()
    {
        var act = () => ExperimentConfig.Quick("x", "RANGE_TRACKING", "make_range_program", 10, seed: uint.MaxValue - 3);
        act.Should().Throw<ArgumentException>().WithMessage("*Seed*2^32*");
    }

    [Fact(DisplayName = "results.json records carry the framework's model_id, seq_id, true_answer, predicted_answer and query_hops")]
    public void ResultsCarryTheFrameworksFieldNames()
    {
        using var runner = new ExperimentRunner(new RunnerOptions { ResultsRoot = _temp.Sub("results") });
        var result = runner.Run(ExperimentConfig.Quick("variable_binding", "VARIABLE_BINDING", "make_variable_binding_program", 4,
            seqLens: [3], models: [_sevens], maxNewTokens: 3));
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.OutputFolder!, "results.json")));
        var records = file.RootElement.EnumerateArray().ToList();
        records.Should().HaveCount(4);
        for (int i = 0; i < records.Count; i++)
        {
            var r = records[i];
            r.GetProperty("model_id").GetString().Should().Be("sevens");
            r.GetProperty("seq_id").GetInt32().Should().Be(i);
            r.GetProperty("true_answer").ValueKind.Should().Be(JsonValueKind.Number);
            r.GetProperty("true_answer").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(result.Cases[i].Expected);
            r.GetProperty("predicted_answer").GetInt32().Should().Be(7);
            r.GetProperty("query_hops").GetInt32().Should().Be(((PythonVariableBindingMetadata)new PythonVariableBindingGenerator()
                .Generate(3, new NumpyRandomState(i)).Metadata).QueryHops);
            r.GetProperty("correct").GetBoolean().Should().Be(r.GetProperty("true_answer").GetInt32() == 7);
        }
    }

    [Theory(DisplayName = "Answers become the Python value they print")]
    [InlineData("True", "true")]
    [InlineData("False", "false")]
    [InlineData("-12", "-12")]
    [InlineData("007", "7")]
    [InlineData("-0", "0")]
    [InlineData("12345678901234567890123", "12345678901234567890123")]
    [InlineData("abc", "\"abc\"")]
    public void PythonValues(string answer, string json) => Debug.Core.Serialization.DebugJson.ToNode(CaseResult.PythonValue(answer))!.ToJsonString().Should().Be(json);
}
