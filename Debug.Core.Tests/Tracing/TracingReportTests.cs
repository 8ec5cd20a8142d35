using System.Text.Json;
using Debug.Core.Interventions;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tracing;

/// <summary>Tracing outputs: the run folder layout, JSON contents and PNG figures.</summary>
public sealed class TracingReportTests
{
    [Fact(DisplayName = "A run folder gets patch_results.json, intervention_results.json and PNG heatmaps and bars")]
    public void WritesRunFolder()
    {
        var f = TracingFixtures.Get("qwen3");
        var pair = TracingFixtures.Pair(f);
        var tokens = pair.CleanIds.Select(i => $"t{i}").ToList();
        var cells = PatchCell.Grid(PatchKind.ResidPost, f.Layers, Enumerable.Range(0, f.T))
            .Concat(PatchCell.Grid(PatchKind.AttnHead, f.Layers, [3, 9, f.T - 1], f.Heads)).ToList();
        using var sweep = PatchSweep.Run(f.Model, pair, cells);
        var knockouts = KnockoutRun.Run(f.Model, pair, KnockoutCondition.DirectVersusChain(f.T - 1, [3, 9], Enumerable.Range(0, f.Layers), f.Heads));

        // DEBUG_TRACING_REPORT_DIR keeps the figures for a look; by default they go to a temp folder that is removed.
        var keep = Environment.GetEnvironmentVariable("DEBUG_TRACING_REPORT_DIR");
        var root = keep ?? Path.Combine(Path.GetTempPath(), "debug-tracing-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var folder = TracingResults.CreateRunFolder(root, "tracing_test", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
            Directory.GetFiles(folder).Should().BeEmpty();
            Path.GetFileName(folder).Should().Be("tracing_test_20260102_030405");
            TracingResults.WritePatchResults(Path.Combine(folder, "patch_results.json"), sweep, tokens);
            TracingResults.WriteInterventionResults(Path.Combine(folder, "intervention_results.json"), knockouts);
            var pngs = TracingResults.WriteHeatmaps(folder, sweep, tokens, f.Layers, f.Heads).ToList();
            TracingPlots.Bars(Path.Combine(folder, "knockout.png"), "knockout", knockouts.Select(k => k.Condition.Name).ToList(),
                knockouts.Select(k => k.Metrics.LogitDiff).ToList(), "logit difference");
            pngs.Add(Path.Combine(folder, "knockout.png"));

            pngs.Select(Path.GetFileName).Should().BeEquivalentTo("heatmap_resid_post.png", "heatmap_attn_head.png", "knockout.png");
            foreach (var png in pngs)
                File.ReadAllBytes(png).Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png);
            using var patch = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "patch_results.json")));
            patch.RootElement.GetProperty("cells").GetArrayLength().Should().Be(cells.Count);
            patch.RootElement.GetProperty("first_difference").GetInt32().Should().Be(3);
            var first = patch.RootElement.GetProperty("cells")[0];
            first.GetProperty("token").GetString().Should().Be(tokens[0]);
            first.GetProperty("metrics").GetProperty("normalized_effect").GetDouble().Should().Be(0);
            using var interventions = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "intervention_results.json")));
            interventions.RootElement.EnumerateArray().Select(e => e.GetProperty("condition").GetString()).Should().Equal("baseline", "direct", "chain");
            Directory.GetFiles(folder, "*.tmp*").Should().BeEmpty("files are written atomically");
        }
        finally
        {
            if (keep is null && Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
