using Debug.Core.Reports;

namespace Debug.Core.Tests.Reports;

/// <summary>A run folder with what real runs write: accuracy plots, heatmaps, knockout bars, JSON and CSV files.</summary>
internal static class RunFolderFixture
{
    /// <summary>Gate rows of every status, one with odd characters in its model name.</summary>
    public static IReadOnlyList<GateRow> Gates { get; } =
    [
        new("tiny", "variable_binding", "seqLen=5", 5, null, 50, 50, 1.0, 0.9286, 1.0, 0.9, GateRow.Passed, "variable_binding_20261201_100000"),
        new("tiny", "variable_binding_hops", "seqLen=10 hops=2", 10, 2, 50, 30, 0.6, 0.4618, 0.7239, 0.9, GateRow.Failed, "variable_binding_hops_20261201_100001"),
        new("Qwen/Qwen3-0.6B <&\"'>", "counter", "seqLen=2", 2, null, 50, 7, 0.14, 0.0695, 0.2619, null, GateRow.NotGated, null),
    ];

    /// <summary>Creates the run under <paramref name="root"/>, completes it and returns it.</summary>
    public static RunFolder Create(string root, string runId = "20261201-100000-abcd")
    {
        var run = RunFolder.Create("test run", root, new Dictionary<string, string> { ["cases per group"] = "50" }, runId);
        foreach (var gate in Gates) run.AddGate(gate);
        foreach (var folder in Gates.Select(g => g.Folder).OfType<string>())
        {
            string dir = Path.Combine(run.Path, folder);
            Directory.CreateDirectory(dir);
            TracingPlots.Bars(Path.Combine(dir, ResultsWriter.PlotFile), "accuracy", ["2", "5"], [0.5, 1.0], "accuracy");
            File.WriteAllText(Path.Combine(dir, ResultsWriter.ResultsFile), "[]");
            File.WriteAllText(Path.Combine(dir, ResultsWriter.SummaryFile), "{}");
            File.WriteAllText(Path.Combine(dir, ResultsWriter.CsvFile), "model,experiment\n");
        }
        string trace = Path.Combine(run.Path, "tracing_resid_tiny_h1_l5_s0_20261201_100002");
        Directory.CreateDirectory(trace);
        TracingPlots.Heatmap(Path.Combine(trace, "heatmap_resid_pre.png"), "resid_pre", new double[,] { { 0, 1 }, { double.NaN, 0.5 } },
            ["0:a", "1:="], ["0", "1"], "token", "layer", "effect");
        File.WriteAllText(Path.Combine(trace, "patch_results.json"), "{}");
        File.WriteAllText(Path.Combine(trace, "intervention_results.json"), "[]");
        string knockout = Path.Combine(run.Path, "tracing_knockout_tiny_h1_l5_s0_20261201_100003");
        Directory.CreateDirectory(knockout);
        TracingPlots.Bars(Path.Combine(knockout, "knockout_bars.png"), "knockout", ["none", "all"], [2.0, -1.0], "logit diff");
        File.WriteAllText(Path.Combine(knockout, "intervention_results.json"), "[]");
        run.Complete();
        return run;
    }
}
