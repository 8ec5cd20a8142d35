using System.Diagnostics;
using System.Text.Json.Nodes;
using Debug.Core.Experiments.Resume;
using Debug.Core.Reports;
using Debug.Core.Reports.Merging;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Cli;

/// <summary>
/// The whole path with real processes: <c>debug eval</c> as one process and as shard processes (DEBUG_SHARD), merged with
/// <c>debug merge</c>, gives the single process's files; a process killed mid-run resumes with the same run id.
/// </summary>
public sealed class ShardedEvalTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("debug-shards-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Debug.Cli.dll");

    private static readonly string[] ShardVariables =
        ["DEBUG_SHARD", "DEBUG_SHARDS", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "JOB_COMPLETION_INDEX", "DEBUG_RUN_ID"];

    private static Process Start(string? shard, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Cli);
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string v in ShardVariables) start.Environment.Remove(v);
        if (shard is not null) start.Environment["DEBUG_SHARD"] = shard;
        return Process.Start(start)!;
    }

    private static (int Code, string Output) Run(string? shard, params string[] args)
    {
        using var process = Start(shard, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private string[] Eval(string runId, string seqLens, int cases) =>
        ["eval", "-t", "variable_binding", "counter", "--seq-len", seqLens, "-n", cases.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--thresholds", Thresholds(), "--results", _root, "--run-id", runId];

    private string Thresholds()
    {
        string file = Path.Combine(_root, "thresholds.json");
        if (!File.Exists(file)) File.WriteAllText(file, """{ "thresholds": { "tiny": { "variable_binding": 0.3 } } }""");
        return file;
    }

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !RunMerge.TimingFiles.Contains(Path.GetRelativePath(folder, f)))
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    private static JsonObject RunJsonWithoutTimings(string folder)
    {
        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, RunFolder.RunFile)))!.AsObject();
        foreach (var parts in RunMerge.TimingFields.Select(f => f.Split('.')))
            (parts.Length == 1 ? info : info[parts[0]]!.AsObject()).Remove(parts[^1]);
        return info;
    }

    private static void ShouldBeTheSameRun(string actual, string expected)
    {
        var want = Files(expected);
        var got = Files(actual);
        got.Keys.Should().BeEquivalentTo(want.Keys);
        foreach (var (name, bytes) in want.Where(f => f.Key != RunFolder.RunFile))
            got[name].Should().Equal(bytes, "{0} is byte-equal to the single run's", name);
        JsonNode.DeepEquals(RunJsonWithoutTimings(actual), RunJsonWithoutTimings(expected))
            .Should().BeTrue($"run.json differs only in {string.Join(", ", RunMerge.TimingFields)}");
        File.Exists(Path.Combine(actual, RunFolder.IndexFile)).Should().BeTrue();
    }

    [Fact(DisplayName = "Shards: 3 eval processes merged equal one process byte for byte, apart from declared timing fields")]
    public void ThreeShardProcessesEqualOne()
    {
        var (code, output) = Run(null, Eval("single", "2,5,10", 6));
        code.Should().Be(0, output);
        var shards = Enumerable.Range(0, 3).Select(k => $"part-s{k}").ToList();
        for (int k = 0; k < 3; k++)
        {
            (code, output) = Run($"{k}/3", Eval(shards[k], "2,5,10", 6));
            code.Should().Be(0, output);
            RunFolder.ReadGates(Path.Combine(_root, shards[k])).Should().NotBeEmpty("shard {0} has groups", k);
        }
        RunFolder.ReadGates(Path.Combine(_root, shards[0])).Count.Should().BeLessThan(6, "a shard runs only its groups");

        var merge = CliHarness.Run(["merge", .. shards.Select(s => Path.Combine(_root, s)), "--out", Path.Combine(_root, "merged")]);
        merge.Code.Should().Be(0, merge.Out + merge.Error);
        ShouldBeTheSameRun(Path.Combine(_root, "merged"), Path.Combine(_root, "single"));
    }

    [Fact(DisplayName = "Shards: a shard with zero rows runs, and merges like the others")]
    public void ZeroRowShard()
    {
        var args = (string id) => new[] { "eval", "-t", "counter", "--seq-len", "3", "-n", "4", "--results", _root, "--run-id", id };
        Run(null, args("one")).Code.Should().Be(0);
        Run("0/2", args("z-s0")).Code.Should().Be(0);
        Run("1/2", args("z-s1")).Code.Should().Be(0);
        new[] { "z-s0", "z-s1" }.Count(s => RunFolder.ReadGates(Path.Combine(_root, s)).Count == 0).Should().Be(1, "one group, two shards");
        var merge = CliHarness.Run("merge", Path.Combine(_root, "z-s1"), Path.Combine(_root, "z-s0"), "--out", Path.Combine(_root, "z"));
        merge.Code.Should().Be(0, merge.Out + merge.Error);
        ShouldBeTheSameRun(Path.Combine(_root, "z"), Path.Combine(_root, "one"));
    }

    [Fact(DisplayName = "Resume: an eval process killed mid-run, rerun with its run id, skips its saved groups and ends with the same files")]
    public void KilledProcessResumes()
    {
        var args = (string id) => new[] { "eval", "-t", "variable_binding", "--seq-len", "2,5,10,17", "-n", "60", "--results", _root, "--run-id", id };
        Run(null, args("whole")).Code.Should().Be(0);

        string groups = Path.Combine(_root, "killed", "variable_binding", GroupCheckpoints.FolderName);
        using (var process = Start(null, args("killed")))
        {
            var watch = Stopwatch.StartNew();
            // Only a guard against a hang: on a loaded 2-core machine the child's first group took over 2 minutes once.
            while (!(Directory.Exists(groups) && Directory.GetFiles(groups, "*.json").Length > 0) && !process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(10))
                Thread.Sleep(20);
            process.HasExited.Should().BeFalse("the run is killed while it still has groups to do");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        var saved = Directory.GetFiles(groups, "*.json").ToDictionary(f => f, File.GetLastWriteTimeUtc);
        saved.Count.Should().BeInRange(1, 3);
        File.Exists(Path.Combine(_root, "killed", "variable_binding", ResultsWriter.ResultsFile)).Should().BeFalse("the run never finished");

        var (code, output) = Run(null, args("killed"));
        code.Should().Be(0, output);
        foreach (var (file, time) in saved) File.GetLastWriteTimeUtc(file).Should().Be(time, "{0} was reused, not recomputed", file);
        ShouldBeTheSameRun(Path.Combine(_root, "killed"), Path.Combine(_root, "whole"));
    }
}
