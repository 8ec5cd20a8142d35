using System.Text.RegularExpressions;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Reports;

/// <summary>One folder per run: ids, run.json, summary.json, the latest link and the page's links.</summary>
public sealed class RunFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("debug-runs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact(DisplayName = "Run ids read yyyyMMdd-HHmmss-hhhh in UTC, and two runs in one second get different folders")]
    public void GeneratedIds()
    {
        var now = new DateTime(2026, 12, 1, 10, 55, 56, DateTimeKind.Utc);
        RunFolder.NewRunId(now).Should().MatchRegex("^20261201-105556-[0-9a-f]{4}$");
        string? saved = Environment.GetEnvironmentVariable(RunFolder.RunIdVariable);
        if (!string.IsNullOrEmpty(saved)) return;   // a run id set for the whole test run names every folder
        var a = RunFolder.Create("a", _root, utcNow: now);
        var b = RunFolder.Create("b", _root, utcNow: now);
        a.Path.Should().NotBe(b.Path);
        Directory.Exists(a.Path).Should().BeTrue();
        Directory.Exists(b.Path).Should().BeTrue();
    }

    [Theory(DisplayName = "A run id that is not a plain folder name is refused, naming where it came from")]
    [InlineData("latest")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("run id")]
    public void BadRunIds(string id)
    {
        var act = () => RunFolder.Create("x", _root, runId: id);
        act.Should().Throw<ArgumentException>().WithMessage($"run id '{id}'*");
    }

    [Fact(DisplayName = "run.json has the run's id, start, end, wall time, version, settings and models")]
    public void RunJson()
    {
        var run = RunFolderFixture.Create(_root);
        var info = RunFolder.ReadInfo(run.Path);
        info.RunId.Should().Be("20261201-100000-abcd");
        info.Kind.Should().Be("test run");
        info.EndedUtc.Should().BeOnOrAfter(info.StartedUtc);
        info.WallSeconds.Should().BeApproximately((info.EndedUtc!.Value - info.StartedUtc).TotalSeconds, 0.001);
        info.DebugVersion.Should().NotBeNullOrWhiteSpace();
        info.Settings.Should().Contain("cases per group", "50");
        info.Models.Should().Equal("tiny", "Qwen/Qwen3-0.6B <&\"'>");
    }

    [Fact(DisplayName = "summary.json holds every gate row, ordered by model, experiment and group")]
    public void SummaryJson()
    {
        var run = RunFolderFixture.Create(_root);
        var rows = RunFolder.ReadGates(run.Path);
        rows.Should().BeEquivalentTo(RunFolderFixture.Gates);
        rows.Select(r => r.Model).Should().BeInAscendingOrder(StringComparer.Ordinal);
        File.ReadAllText(Path.Combine(run.Path, RunFolder.SummaryFile)).Should().Contain("\"wilson_low\"").And.Contain("\"not_gated\"");
    }

    [Fact(DisplayName = "results/latest is a relative link to the newest completed run, replaced when the next one completes")]
    public void LatestLink()
    {
        var first = RunFolderFixture.Create(_root, "run-1");
        LatestRun.Resolve(_root).Should().Be(first.Path);
        new FileInfo(Path.Combine(_root, RunFolder.LatestLink)).LinkTarget.Should().Be("run-1");
        var second = RunFolderFixture.Create(_root, "run-2");
        LatestRun.Resolve(_root).Should().Be(second.Path);
        Directory.GetFileSystemEntries(_root).Select(Path.GetFileName).Should().BeEquivalentTo(["run-1", "run-2", "latest"], "no temporary link is left behind");
    }

    [Fact(DisplayName = "index.html links every JSON and CSV file of the run and shows every image, all by relative path")]
    public void PageLinksEveryFile()
    {
        var run = RunFolderFixture.Create(_root);
        string html = File.ReadAllText(Path.Combine(run.Path, RunFolder.IndexFile));
        var hrefs = Regex.Matches(html, "href=\"([^\"]+)\"").Select(m => Uri.UnescapeDataString(m.Groups[1].Value)).ToHashSet();
        var sources = Regex.Matches(html, "src=\"([^\"]+)\"").Select(m => Uri.UnescapeDataString(m.Groups[1].Value)).ToHashSet();
        foreach (string file in Directory.GetFiles(run.Path, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(run.Path, file).Replace('\\', '/');
            switch (Path.GetExtension(file))
            {
                case ".json" or ".csv": hrefs.Should().Contain(rel); break;
                case ".png": sources.Should().Contain(rel); break;
            }
        }
        html.Should().NotContain("http://").And.NotContain("https://").And.NotContain("<script");
        html.Should().Contain("Qwen/Qwen3-0.6B &lt;&amp;&quot;&#39;&gt;", "names are HTML-encoded");
    }

    [Fact(DisplayName = "index.html can be rebuilt from the folder alone, byte for byte")]
    public void PageRebuilds()
    {
        var run = RunFolderFixture.Create(_root);
        string path = Path.Combine(run.Path, RunFolder.IndexFile);
        string before = File.ReadAllText(path);
        RunIndexPage.Write(run.Path).Should().Be(path);
        File.ReadAllText(path).Should().Be(before);
    }
}
