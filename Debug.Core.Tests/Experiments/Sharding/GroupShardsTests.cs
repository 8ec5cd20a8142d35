using Debug.Core.Experiments;
using Debug.Core.Experiments.Sharding;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments.Sharding;

public sealed class GroupShardsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static IReadOnlyList<ExperimentConfig> Configs() =>
    [
        ExperimentConfig.Quick("variable_binding", "variable_binding", "variable_binding", 20, seqLens: [2, 5, 10], models: ["tiny", "Qwen/Qwen3-0.6B"]),
        ExperimentConfig.Quick("counter", "minimal", "counter", 20, seqLens: [2, 5], models: ["tiny", "Qwen/Qwen3-0.6B"]),
    ];

    [Fact(DisplayName = "Group shards: every (experiment, model, length) group runs in exactly one of 1-6 shards")]
    public void EveryGroupOnce()
    {
        var configs = Configs();
        var groups = configs.SelectMany(c => c.Models.SelectMany(m => c.Groups().Select(g => (c.Name, Key: new GroupKey(m, g.SeqLen, g.Hops))))).ToList();
        groups.Should().HaveCount(10);
        for (int n = 1; n <= 6; n++)
        {
            var shards = Enumerable.Range(0, n).Select(k => GroupShards.For(new ShardSpec(k, n, "test"), configs)).ToList();
            foreach (var (experiment, key) in groups)
                shards.Count(s => s.IsMine(experiment, key)).Should().Be(1, "{0} {1} with {2} shards", experiment, key, n);
        }
        var scope = GroupShards.For(new ShardSpec(0, 2, "test"), configs).Scope(configs[0], "folder");
        scope.Folder.Should().Be("folder");
        groups.Where(g => g.Name == "variable_binding").Count(g => scope.Include!(g.Key)).Should().BeInRange(0, 6);
    }

    [Fact(DisplayName = "Checkpoint hash: same files same hash; a changed weight byte or config changes it; eval.json does not")]
    public void CheckpointHashFollowsTheWeights()
    {
        string a = TestCheckpoints.ConstantAnswer(_temp.Sub("a"), '7');
        string b = TestCheckpoints.ConstantAnswer(_temp.Sub("b"), '7');
        string c = TestCheckpoints.ConstantAnswer(_temp.Sub("c"), '3');
        CheckpointHash.Of(a).Should().Be(CheckpointHash.Of(b)).And.MatchRegex("^[0-9a-f]{64}$");
        CheckpointHash.Of(c).Should().NotBe(CheckpointHash.Of(a));
        File.WriteAllText(Path.Combine(b, "eval.json"), "{}");
        CheckpointHash.Of(b).Should().Be(CheckpointHash.Of(a), "results beside the weights are not the checkpoint");
        File.AppendAllText(Path.Combine(b, "config.json"), " ");
        CheckpointHash.Of(b).Should().NotBe(CheckpointHash.Of(a));
        FluentActions.Invoking(() => CheckpointHash.Of(_temp.Sub("none"))).Should().Throw<DirectoryNotFoundException>().WithMessage("*none*");

        var settings = CheckpointHash.Settings([a, _temp.Sub("missing-model")]);
        settings["checkpoint a"].Should().Be(CheckpointHash.Of(a));
        settings["checkpoint missing-model"].Should().Be("not found");
    }

    [Fact(DisplayName = "Checkpoint settings: an endpoint model is recorded by address and served name, not looked for on disk (it has no folder)")]
    public void EndpointCheckpointSetting()
    {
        var settings = CheckpointHash.Settings(["endpoint:http://127.0.0.1:9/v1#Qwen/Qwen3-14B?key=MY_KEY"]);
        settings.Should().ContainSingle().Which.Should().Be(
            new KeyValuePair<string, string>("checkpoint endpoint:Qwen/Qwen3-14B", "endpoint http://127.0.0.1:9/v1 model Qwen/Qwen3-14B"));
    }
}
