using Debug.Core.Experiments;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>Summary breakdowns, intervals and the per-model CSV.</summary>
public sealed class AccuracySummaryTests
{
    private static CaseResult Case(string model, int seqLen, int? hops, bool correct) => new()
    {
        Experiment = "variable_binding", Model = model, SeqLen = seqLen, Hops = hops, SeedId = 0, Program = "a = 1\n#a: ",
        Prompt = "a = 1\n#a: ", Expected = "1", Predicted = correct ? "1" : "2", Correct = correct, RawOutput = correct ? "1\n" : "2\n",
    };

    private static readonly List<CaseResult> Cases =
    [
        .. Enumerable.Range(0, 10).Select(i => Case("tiny", 10, 1 + i % 2, i < 9)),
        .. Enumerable.Range(0, 10).Select(i => Case("tiny", 2, 1, i < 5)),
        .. Enumerable.Range(0, 4).Select(i => Case("Qwen/Qwen3-0.6B", 2, 1, true)),
    ];

    [Fact]
    public void Breaks_accuracy_down_with_wilson_intervals_in_numeric_order()
    {
        var s = AccuracySummary.Compute("variable_binding", Cases, exactHops: false);
        s.Overall.Should().Be(AccuracyStat.Of(18, 24));
        s.ByModel.Keys.Should().Equal("Qwen/Qwen3-0.6B", "tiny");
        s.ByModel["tiny"].Should().Be(AccuracyStat.Of(14, 20));
        s.ByLength.Keys.Should().Equal("2", "10");
        s.ByLength["2"].Correct.Should().Be(9);
        s.ByHops.Keys.Should().Equal("1", "2");
        s.Groups.Select(g => (g.Model, g.SeqLen, g.Hops)).Should().Equal(("Qwen/Qwen3-0.6B", 2, (int?)null), ("tiny", 2, null), ("tiny", 10, null));
        s.ErrorKinds["tiny"][ErrorKind.OffByOne].Should().Be(6);

        var w = WilsonInterval.Compute(14, 20);
        s.ByModel["tiny"].CiLow.Should().Be(w.Lower);
        s.ByModel["tiny"].CiHigh.Should().Be(w.Upper);
    }

    [Fact]
    public void Exact_hops_runs_group_by_length_and_hops()
    {
        var s = AccuracySummary.Compute("variable_binding", Cases, exactHops: true);
        s.Groups.Select(g => (g.Model, g.SeqLen, g.Hops)).Should().Contain(("tiny", 10, (int?)1)).And.Contain(("tiny", 10, (int?)2));
    }

    [Fact]
    public void Csv_has_one_row_per_model_in_invariant_format()
    {
        var csv = ResultsWriter.Csv(AccuracySummary.Compute("variable_binding", Cases, exactHops: false)).Split('\n');
        csv[0].Should().Be("model,experiment,accuracy,n,ci_low,ci_high");
        csv[1].Should().Be("Qwen/Qwen3-0.6B,variable_binding,1.0000,4,0.5101,1.0000");
        csv[2].Should().StartWith("tiny,variable_binding,0.7000,20,");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plots_render_as_png(bool exactHops)
    {
        var png = AccuracyPlot.Render(AccuracySummary.Compute("variable_binding", Cases, exactHops), exactHops);
        png.Length.Should().BeGreaterThan(1000);
        png.Take(4).Should().Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        string? dump = Environment.GetEnvironmentVariable("DEBUG_PLOT_DUMP");
        if (!string.IsNullOrEmpty(dump)) File.WriteAllBytes(Path.Combine(dump, $"plot-{exactHops}.png"), png);
    }
}
