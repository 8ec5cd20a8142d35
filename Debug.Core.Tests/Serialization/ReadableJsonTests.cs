using System.Text.Json;
using System.Text.RegularExpressions;
using Debug.Core.Experiments;
using Debug.Core.Reports;
using Debug.Core.Serialization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Serialization;

/// <summary>Debug's JSON files read well with cat and in diffs: printable characters are never written as \uXXXX.</summary>
public sealed class ReadableJsonTests
{
    private const string Printable = "x += 6\n```python\n<a> & 'b' é 日本 😀 ±";

    [Fact(DisplayName = "results.json writes printable characters as themselves (x += 6, ```python, é, emoji)")]
    public void ResultsFileIsReadable()
    {
        using var dir = new Debug.Core.Tests.Experiments.TempFolder();
        var c = Case(Printable);
        var result = new ExperimentResult
        {
            Config = ExperimentConfig.Quick("readable", "range_tracking", "variable_binding"),
            Cases = [c],
            Summary = AccuracySummary.Compute("readable", [c], exactHops: false),
            ModelErrors = new Dictionary<string, Exception>(),
            InferenceTime = TimeSpan.FromSeconds(1),
            GeneratedTokens = 1,
        };
        var folder = ResultsWriter.Write(result, dir.Path);
        var text = File.ReadAllText(Path.Combine(folder, ResultsWriter.ResultsFile));

        text.Should().Contain("x += 6").And.Contain("```python").And.Contain("<a> & 'b' é 日本 😀 ±");
        UnicodeEscapes(text).Should().BeEmpty();
        ResultsWriter.ReadCases(Path.Combine(folder, ResultsWriter.ResultsFile)).Single().Program.Should().Be(Printable);
    }

    [Theory(DisplayName = "What JSON requires is still escaped, and the text reads back unchanged")]
    [InlineData("quote \" and backslash \\", "quote \\\" and backslash \\\\")]
    [InlineData("tab\tnewline\n", "tab\\tnewline\\n")]
    [InlineData("bell\u0007 del\u007f", "bell\\u0007 del\\u007F")]
    [InlineData("line\u2028separator", "line\\u2028separator")]
    public void RequiredEscapes(string value, string expectedInside)
    {
        var json = DebugJson.Serialize(value);
        json.Should().Be("\"" + expectedInside + "\"");
        JsonDocument.Parse(json).RootElement.GetString().Should().Be(value);
    }

    [Fact(DisplayName = "A lone surrogate (half of a split emoji) is written as U+FFFD, never as invalid JSON")]
    public void LoneSurrogateIsReplaced()
    {
        var json = DebugJson.Serialize("a\uD83Db");
        JsonDocument.Parse(json).RootElement.GetString().Should().Be("a\uFFFDb");
    }

    [Fact(DisplayName = "Node documents (config.json, eval.json) are readable too")]
    public void NodesAreReadable()
    {
        var node = new System.Text.Json.Nodes.JsonObject { ["program"] = Printable };
        var text = DebugJson.Write(node);
        UnicodeEscapes(text).Should().BeEmpty();
        text.Should().Contain("x += 6");
    }

    internal static CaseResult Case(string program) => new()
    {
        Experiment = "readable", Model = "tiny", SeqLen = 3, SeedId = 0, Program = program,
        Prompt = "```python\n" + program + "\n```", Expected = "7", Predicted = "7", Correct = true, RawOutput = "7 😀",
    };

    private static List<string> UnicodeEscapes(string json) =>
        Regex.Matches(json, @"\\u[0-9A-Fa-f]{4}").Select(m => m.Value).ToList();
}
