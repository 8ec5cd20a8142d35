using System.Text.Json;
using Debug.Cli;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Cli;

/// <summary><c>debug trace --attribution</c> on the embedded model: estimates plus exactly verified top cells.</summary>
public sealed class CliAttributionTests : IDisposable
{
    private readonly Debug.Core.Tests.Experiments.TempFolder _temp = new();
    private string Root => _temp.Path;

    public void Dispose() => _temp.Dispose();

    [Fact(DisplayName = "CLI trace --attribution: estimated heatmaps, and the top cells' exact effects equal the exact sweep's")]
    public void TraceWithAttribution()
    {
        string[] common = ["trace", "--seed", "1", "--hops", "1", "--seq-len", "3", "--kinds", "resid-pre", "heads", "--results", Root];
        var (code, output, error) = CliHarness.Run([.. common, "--attribution", "--verify-top", "5", "--run-id", "atp"]);
        code.Should().Be(ExitCodes.Ok, output + error);
        output.Should().Contain("resid-pre (attribution)");
        CliHarness.Run([.. common, "--run-id", "exact"]).Code.Should().Be(ExitCodes.Ok);
        foreach (string kind in new[] { "residpre", "heads" })
        {
            string Folder(string run) => Directory.GetDirectories(Path.Combine(Root, run), $"tracing_{kind}_*").Single();
            string atp = Folder("atp");
            File.Exists(Path.Combine(atp, kind == "heads" ? "heatmap_attn_head.png" : "heatmap_resid_pre.png")).Should().BeTrue();
            using var verified = JsonDocument.Parse(File.ReadAllText(Path.Combine(atp, AttributionResults.VerifiedFile)));
            var cells = verified.RootElement.GetProperty("cells").EnumerateArray().ToList();
            cells.Should().HaveCount(5);
            using var exact = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder("exact"), "intervention_results.json")));
            var byCell = exact.RootElement.GetProperty("interventions").EnumerateArray().ToDictionary(
                r => (r.GetProperty("layer").GetInt32(), r.GetProperty("position").GetInt32(), r.GetProperty("head").ValueKind == JsonValueKind.Null ? -1 : r.GetProperty("head").GetInt32()),
                r => r.GetProperty("normalized_effect").GetDouble());
            foreach (var cell in cells)
            {
                var key = (cell.GetProperty("layer").GetInt32(), cell.GetProperty("position").GetInt32(),
                    cell.GetProperty("head").ValueKind == JsonValueKind.Null ? -1 : cell.GetProperty("head").GetInt32());
                // The exact engine on 5 cells packs its forwards differently from the full grid: equal up to float
                // rounding (the engine's own equivalence bound is 1e-5).
                cell.GetProperty("normalized_effect").GetDouble().Should().BeApproximately(byCell[key], 1e-5, $"{kind} {key} is verified exactly");
            }
            var estimated = cells.Select(c => Math.Abs(c.GetProperty("estimated_change").GetDouble())).ToList();
            estimated.Should().BeInDescendingOrder();
        }
    }

    [Fact(DisplayName = "CLI trace: --verify-top without --attribution is refused by name, exit 2")]
    public void VerifyTopNeedsAttribution()
    {
        var (code, _, error) = CliHarness.Run("trace", "--seed", "1", "--hops", "1", "--seq-len", "3", "--verify-top", "4", "--results", Root);
        code.Should().Be(ExitCodes.BadArguments);
        error.Should().Contain("--verify-top").And.Contain("--attribution");
    }
}
