using System.Globalization;
using System.Text.Json.Nodes;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Reports;

/// <summary>
/// The run page in a real browser (Debian's headless chromium; <c>.ci/run</c> installs it). Required in CI
/// (<c>CI=true</c>): there a missing browser fails the test. Elsewhere a missing browser skips it, saying how to install one.
/// </summary>
[Trait("Category", "Browser")]
public sealed class RunIndexBrowserTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("debug-page-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact(DisplayName = "index.html loads in headless chromium with no console error, every image loads, gate rows equal summary.json's")]
    public async Task PageInBrowser()
    {
        string? chromium = HeadlessChromium.Find();
        if (chromium is null)
        {
            const string how = "chromium is not installed (apt-get install chromium)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail(how + "; CI requires it.");
            Assert.Skip(how + "; CI runs this test.");
        }
        var run = RunFolderFixture.Create(_root);
        await using var browser = await HeadlessChromium.StartAsync(chromium);
        await browser.NavigateAsync(new Uri(Path.Combine(run.Path, RunFolder.IndexFile)).AbsoluteUri);

        var images = (await browser.EvaluateAsync(
            "[...document.images].map(i => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 }))"))!.AsArray();
        images.Should().HaveCount(Directory.GetFiles(run.Path, "*.png", SearchOption.AllDirectories).Length);
        images.Where(i => !i!["ok"]!.GetValue<bool>()).Select(i => i!["src"]!.GetValue<string>()).Should().BeEmpty("every image should load");

        var rows = (await browser.EvaluateAsync(
            $"[...document.querySelectorAll('#{RunIndexPage.GateTableId} tbody tr')].map(r => ({{...r.dataset}}))"))!.AsArray();
        var expected = RunFolder.ReadGates(run.Path);
        rows.Should().HaveCount(expected.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (row, gate) = (rows[i]!, expected[i]);
            row["model"]!.GetValue<string>().Should().Be(gate.Model);
            row["experiment"]!.GetValue<string>().Should().Be(gate.Experiment);
            row["group"]!.GetValue<string>().Should().Be(gate.Group);
            Number(row["n"]).Should().Be(gate.N);
            Number(row["correct"]).Should().Be(gate.Correct);
            Number(row["accuracy"]).Should().Be(gate.Accuracy);
            Number(row["wilsonLow"]).Should().Be(gate.WilsonLow);
            Number(row["wilsonHigh"]).Should().Be(gate.WilsonHigh);
            (row["threshold"]!.GetValue<string>() == "null" ? (double?)null : Number(row["threshold"])).Should().Be(gate.Threshold);
            row["status"]!.GetValue<string>().Should().Be(gate.Status);
        }
        browser.Errors.Should().BeEmpty("the page should load without console errors or failed loads");
    }

    private static double Number(JsonNode? node) => double.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
