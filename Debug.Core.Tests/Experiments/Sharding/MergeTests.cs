using System.Text.Json;
using System.Text.Json.Nodes;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Gates;
using Debug.Core.Experiments.Sharding;
using Debug.Core.Prompts;
using Debug.Core.Reports;
using Debug.Core.Reports.Merging;
using Debug.Core.Tasks.Generators;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments.Sharding;

/// <summary>
/// Shards run apart and merged read like one run: the same files byte for byte apart from run.json's declared
/// timing fields; and shards that do not belong together are refused, naming the shard.
/// </summary>
public sealed class MergeTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _sevens, _random;
    private readonly ExperimentRunner _runner = new();

    public MergeTests()
    {
        _sevens = TestCheckpoints.ConstantAnswer(_temp.Sub("sevens"), '7');
        _random = TestCheckpoints.Random(_temp.Sub("random"));
    }

    public void Dispose()
    {
        _runner.Dispose();
        _temp.Dispose();
    }

    private IReadOnlyList<ExperimentConfig> Configs(params string[] models) =>
    [
        ExperimentConfig.Quick("variable_binding", PromptTemplates.VariableBinding, new VariableBindingGenerator(), 6,
            seqLens: [2, 5], models: models, maxNewTokens: 3),
        ExperimentConfig.Quick("variable_binding_hops", PromptTemplates.VariableBinding, new VariableBindingGenerator(), 6,
            seqLens: [4], hops: [1, 2, 3], models: models, maxNewTokens: 3),
    ];

    private static string Key(string experiment, GroupKey g) => $"{experiment}/{g.Model}/{g.SeqLen}/{g.Hops}";

    // One process of a sharded run, as the experiment suite does it: its groups of every experiment, one row folder
    // per traced row it owns, a gate row per group, run.json with the shard in its settings.
    private string RunProcess(string runId, ShardSpec shard, IReadOnlyList<ExperimentConfig> configs, string? version = null,
        string cases = "6")
    {
        var rows = configs.SelectMany(c => c.Models.Select(ModelReference.Parse).SelectMany(m => c.Groups()
                .Select(g => ShardRow.Single(Key(c.Name, new GroupKey(m.DisplayName, g.SeqLen, g.Hops)), g.SeqLen))))
            .Append(ShardRow.Single("trace/row-a", 3)).Append(ShardRow.Single("trace/row-b", 3)).ToList();
        var plan = ShardPlan.Assign(rows, shard.Count);
        bool Mine(string key) => plan.ShardOf(key) == shard.Index;
        var settings = new Dictionary<string, string> { ["models"] = string.Join(";", configs[0].Models), ["cases per group"] = cases };
        if (shard.IsSharded) settings["shard"] = shard.ToString();
        var run = RunFolder.Create("test", _temp.Path, settings, runId);
        var gate = new AccuracyGate(ThresholdTable.Parse("""{ "thresholds": { "sevens": { "variable_binding": 0.2, "variable_binding_hops": 0.2 } } }""", "test"), requiredModels: []);
        foreach (var config in configs)
        {
            var result = _runner.Run(config, scope: new RunScope { Include = g => Mine(Key(config.Name, g)), Folder = Path.Combine(run.Path, config.Name) });
            // Gates in the order `debug eval` adds them: models in selection order, then groups.
            foreach (var g in result.Summary.Groups.OrderBy(g => configs[0].Models.Select(m => ModelReference.Parse(m).DisplayName).ToList().IndexOf(g.Model)))
            {
                var records = result.Group(g.Model, g.SeqLen, g.Hops);
                run.AddGate(GateRow.From(g.Model, config.Name, g.SeqLen, g.Hops, records, gate.Evaluate(g.Model, config.Name, g.SeqLen, g.Hops, records), config.Name));
            }
        }
        foreach (string row in new[] { "trace/row-a", "trace/row-b" }.Where(Mine))
        {
            string dir = Path.Combine(run.Path, "tracing_" + row[6..]);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "patch_results.json"), $"{{\"row\": \"{row}\"}}");
        }
        // RunInfo records the running assembly's version; a shard of other code is simulated by editing its run.json.
        run.Complete();
        if (version is not null)
        {
            var info = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(run.Path, RunFolder.RunFile)))!.AsObject();
            info["debug_version"] = version;
            File.WriteAllText(Path.Combine(run.Path, RunFolder.RunFile), info.ToJsonString(CaseResult.JsonOptions));
        }
        return run.Path;
    }

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !RunMerge.TimingFiles.Contains(Path.GetRelativePath(folder, f)))
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    private static JsonObject WithoutTimings(string runJson)
    {
        var info = JsonNode.Parse(File.ReadAllText(runJson))!.AsObject();
        foreach (string field in RunMerge.TimingFields)
        {
            var parts = field.Split('.');
            (parts.Length == 1 ? info : info[parts[0]]!.AsObject()).Remove(parts[^1]);
        }
        return info;
    }

    private void AssertSameRun(string single, string merged)
    {
        var expected = Files(single);
        var actual = Files(merged);
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (name, bytes) in expected.Where(f => f.Key != "run.json"))
            actual[name].Should().Equal(bytes, "{0} is the same as the single run's", name);
        JsonNode.DeepEquals(WithoutTimings(Path.Combine(merged, "run.json")), WithoutTimings(Path.Combine(single, "run.json")))
            .Should().BeTrue("run.json differs only in " + string.Join(", ", RunMerge.TimingFields) + ": " +
                WithoutTimings(Path.Combine(merged, "run.json")).ToJsonString() + " vs " + WithoutTimings(Path.Combine(single, "run.json")).ToJsonString());
    }

    [Fact(DisplayName = "Merge: 3 shards merged equal one process byte for byte, apart from run.json's timing fields")]
    public void ThreeShardsEqualOneRun()
    {
        var configs = Configs(_sevens, _random);
        string single = RunProcess("single", ShardSpec.Unsharded, configs);
        var shards = Enumerable.Range(0, 3).Select(k => RunProcess($"shard{k}", new ShardSpec(k, 3, "test"), configs)).ToList();
        shards.Should().OnlyContain(s => Directory.EnumerateDirectories(s).Any(), "every shard ran something");

        var report = RunMerge.Merge([shards[2], shards[0], shards[1]], _temp.Sub("merged"));
        report.Shards.Should().Be(3);
        report.Experiments.Should().Be(2);
        report.Rows.Should().Be(2);
        report.Gates.Should().Be(10);
        AssertSameRun(single, report.Folder);
    }

    [Fact(DisplayName = "Merge: a shard with zero rows merges like the others")]
    public void ZeroRowShard()
    {
        var configs = Configs(_sevens).Take(1).Select(c => c with { SeqLens = [3] }).ToList();
        string single = RunProcess("single1", ShardSpec.Unsharded, configs);
        // Three rows (one group, two traced rows) over four shards: at least one shard has nothing.
        var shards = Enumerable.Range(0, 4).Select(k => RunProcess($"part{k}", new ShardSpec(k, 4, "test"), configs)).ToList();
        shards.Should().Contain(s => !Directory.EnumerateDirectories(s).Any());
        AssertSameRun(single, RunMerge.Merge(shards, _temp.Sub("merged1")).Folder);
    }

    [Fact(DisplayName = "Merge: a missing shard, a doubled shard, other code, other settings or a doubled row are refused, naming the shard")]
    public void Refusals()
    {
        var configs = Configs(_sevens).Take(1).ToList();
        var shards = Enumerable.Range(0, 3).Select(k => RunProcess($"s{k}", new ShardSpec(k, 3, "test"), configs)).ToList();
        Action Merge(params string[] folders) => () => RunMerge.Merge(folders, _temp.Sub("out-" + Guid.NewGuid().ToString("N")));

        Merge(shards[0], shards[2]).Should().Throw<ShardMergeException>().WithMessage("Shard 1/3 missing*");
        Merge(shards[0], shards[1], shards[2], shards[1]).Should().Throw<ShardMergeException>().WithMessage($"Shard 1/3 appears twice*{shards[1]}*");

        string otherCode = RunProcess("code", new ShardSpec(1, 3, "test"), configs, version: "0.0.1+def");
        Merge(shards[0], otherCode, shards[2]).Should().Throw<ShardMergeException>().WithMessage($"{otherCode} (shard 1/3): ran Debug 0.0.1+def*");

        string otherCases = RunProcess("cases", new ShardSpec(2, 3, "test"), configs, cases: "7");
        Merge(shards[0], shards[1], otherCases).Should().Throw<ShardMergeException>().WithMessage($"{otherCases} (shard 2/3): setting 'cases per group' is '7'*'6'*");

        string twoShards = RunProcess("two", new ShardSpec(1, 2, "test"), configs);
        Merge(shards[0], twoShards).Should().Throw<ShardMergeException>().WithMessage($"{twoShards}: shard 1/2 of a 2-shard run*");

        // A group, and a row folder, that two shards both ran (as if one had used another plan): copy them into another shard.
        string experiment = configs[0].Name;
        int owner = shards.FindIndex(s => Directory.Exists(Path.Combine(s, experiment)));
        int other = (owner + 1) % 3;
        string doubled = _temp.Sub("doubled");
        RunMerge.CopyTree(shards[other], doubled);
        if (Directory.Exists(Path.Combine(doubled, experiment))) Directory.Delete(Path.Combine(doubled, experiment), recursive: true);
        RunMerge.CopyTree(Path.Combine(shards[owner], experiment), Path.Combine(doubled, experiment));
        var withDoubledGroup = shards.Select((s, k) => k == other ? doubled : s).ToArray();
        Merge(withDoubledGroup).Should().Throw<ShardMergeException>().WithMessage($"{experiment}: group*in shard {owner}/3*and in shard {other}/3*");

        int rowOwner = shards.FindIndex(s => Directory.Exists(Path.Combine(s, "tracing_row-a")));
        int rowOther = (rowOwner + 1) % 3;
        string doubledRow = _temp.Sub("doubled-row");
        RunMerge.CopyTree(shards[rowOther], doubledRow);
        RunMerge.CopyTree(Path.Combine(shards[rowOwner], "tracing_row-a"), Path.Combine(doubledRow, "tracing_row-a"));
        Merge([.. shards.Select((s, k) => k == rowOther ? doubledRow : s)]).Should().Throw<ShardMergeException>()
            .WithMessage("Row folder 'tracing_row-a' is in shard*and in shard*");

        Directory.EnumerateDirectories(_temp.Path, "out-*").Should().BeEmpty("a refused merge leaves nothing behind");
        Directory.EnumerateDirectories(_temp.Path, ".out-*").Should().BeEmpty();
        Merge(Path.Combine(_temp.Path, "nowhere")).Should().Throw<ShardMergeException>().WithMessage("*not a run folder (no run.json)*");
    }
}
