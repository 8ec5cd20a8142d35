using Debug.Core.Experiments;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>Failing-case listing and error kinds.</summary>
public sealed class ErrorAnalysisTests
{
    private static CaseResult Case(string expected, string? predicted, string experiment = "variable_binding",
        string program = "a = 3\nb = 8\nc = a\n#c: ", string model = "tiny", int seqLen = 3, int? hops = 2) => new()
    {
        Experiment = experiment, Model = model, SeqLen = seqLen, Hops = hops, SeedId = 0, Program = program, Prompt = program,
        Expected = expected, Predicted = predicted, Correct = predicted == expected, RawOutput = (predicted ?? "??") + "\n",
    };

    [Theory]
    [InlineData("3", null, ErrorKind.Unparseable)]
    [InlineData("3", "4", ErrorKind.OffByOne)]
    [InlineData("3", "2", ErrorKind.OffByOne)]
    [InlineData("3", "8", ErrorKind.WrongVariable)]
    [InlineData("3", "6", ErrorKind.Other)]
    public void Classifies_binding_errors(string expected, string? predicted, ErrorKind kind) =>
        ErrorAnalysis.Classify(Case(expected, predicted)).Should().Be(kind);

    [Fact]
    public void Another_literal_is_not_a_wrong_variable_outside_binding_tasks()
    {
        ErrorAnalysis.Classify(Case("3", "8", experiment: "counter", program: "x = 8\nx += 3\n")).Should().Be(ErrorKind.Other);
        ErrorAnalysis.Classify(Case("True", "False", experiment: "boolean_logic")).Should().Be(ErrorKind.Other);
    }

    [Fact]
    public void Filters_by_model_length_range_and_hops()
    {
        var cases = new[]
        {
            Case("3", "4", model: "tiny", seqLen: 3, hops: 1),
            Case("3", "8", model: "tiny", seqLen: 6, hops: 2),
            Case("3", "3", model: "tiny", seqLen: 6, hops: 2),
            Case("3", null, model: "other", seqLen: 9, hops: 2),
        };
        ErrorAnalysis.Failures(cases).Should().HaveCount(3);
        ErrorAnalysis.Failures(cases, new ErrorFilter(Model: "tiny")).Should().HaveCount(2);
        ErrorAnalysis.Failures(cases, new ErrorFilter(MinSeqLen: 4, MaxSeqLen: 9)).Select(c => c.Model).Should().Equal("tiny", "other");
        ErrorAnalysis.Failures(cases, new ErrorFilter(Hops: 2)).Should().HaveCount(2);

        var kinds = ErrorAnalysis.CountKinds(cases);
        kinds[ErrorKind.OffByOne].Should().Be(1);
        kinds[ErrorKind.WrongVariable].Should().Be(1);
        kinds[ErrorKind.Unparseable].Should().Be(1);
        kinds[ErrorKind.Other].Should().Be(0);

        string report = ErrorAnalysis.Report(cases, new ErrorFilter(Model: "tiny"), limit: 1);
        report.Should().StartWith("2 failing case(s): OffByOne 1, WrongVariable 1").And.Contain("... and 1 more");
        report.Should().Contain("a = 3\nb = 8\nc = a\n#c:").And.Contain("expected: 3").And.Contain("raw output: \"4\\n\"");
    }
}
