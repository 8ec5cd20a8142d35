using Debug.Core.Experiments.Sharding;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments.Sharding;

public sealed class ShardSpecTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact(DisplayName = "Shard: nothing set means one shard with every row")]
    public void Unset() => ShardSpec.FromEnvironment(Env()).Should().Be(ShardSpec.Unsharded);

    [Theory(DisplayName = "Shard: DEBUG_SHARD=k/n gives shard k of n")]
    [InlineData("0/1", 0, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData(" 7/10 ", 7, 10)]
    public void DebugShard(string value, int index, int count)
    {
        var spec = ShardSpec.FromEnvironment(Env(("DEBUG_SHARD", value)));
        (spec.Index, spec.Count, spec.Source).Should().Be((index, count, "DEBUG_SHARD"));
    }

    [Fact(DisplayName = "Shard: DEBUG_SHARD wins over Slurm and Kubernetes variables")]
    public void DebugShardWins()
    {
        var spec = ShardSpec.FromEnvironment(Env(("DEBUG_SHARD", "1/2"), ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "4"), ("JOB_COMPLETION_INDEX", "5"), ("DEBUG_SHARDS", "6")));
        spec.ToString().Should().Be("1/2");
    }

    [Fact(DisplayName = "Shard: a Slurm job array's task id and count, before a Kubernetes index")]
    public void Slurm()
    {
        var spec = ShardSpec.FromEnvironment(Env(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("JOB_COMPLETION_INDEX", "0"), ("DEBUG_SHARDS", "2")));
        (spec.Index, spec.Count, spec.Source).Should().Be((3, 4, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT"));
    }

    [Fact(DisplayName = "Shard: a Kubernetes Indexed Job's completion index with DEBUG_SHARDS")]
    public void Kubernetes()
    {
        var spec = ShardSpec.FromEnvironment(Env(("JOB_COMPLETION_INDEX", "4"), ("DEBUG_SHARDS", "5")));
        (spec.Index, spec.Count, spec.IsSharded).Should().Be((4, 5, true));
    }

    [Theory(DisplayName = "Shard: bad values are refused with the variable's name")]
    [InlineData("DEBUG_SHARD", "3", null, null, "*DEBUG_SHARD*k/n*'3'*")]
    [InlineData("DEBUG_SHARD", "3/3", null, null, "*DEBUG_SHARD*index 3*count 3*")]
    [InlineData("DEBUG_SHARD", "-1/3", null, null, "*DEBUG_SHARD*whole number*'-1'*")]
    [InlineData("DEBUG_SHARD", "0/0", null, null, "*DEBUG_SHARD*at least 1*")]
    [InlineData("DEBUG_SHARD", "a/b", null, null, "*DEBUG_SHARD*whole number*'a'*")]
    [InlineData("DEBUG_SHARD", "1/2/3", null, null, "*DEBUG_SHARD*k/n*")]
    [InlineData("SLURM_ARRAY_TASK_ID", "2", null, null, "*SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT*together*")]
    [InlineData("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_COUNT", "4", "*SLURM_ARRAY_TASK_ID*index 4*count 4*")]
    [InlineData("SLURM_ARRAY_TASK_ID", "x", "SLURM_ARRAY_TASK_COUNT", "4", "*SLURM_ARRAY_TASK_ID*whole number*'x'*")]
    [InlineData("JOB_COMPLETION_INDEX", "1", null, null, "*JOB_COMPLETION_INDEX*DEBUG_SHARDS*")]
    [InlineData("JOB_COMPLETION_INDEX", "1", "DEBUG_SHARDS", "one", "*DEBUG_SHARDS*whole number*'one'*")]
    [InlineData("JOB_COMPLETION_INDEX", "2", "DEBUG_SHARDS", "2", "*JOB_COMPLETION_INDEX*index 2*count 2*")]
    public void BadValues(string name, string value, string? otherName, string? otherValue, string message)
    {
        var vars = otherName is null ? new[] { (name, value) } : [(name, value), (otherName, otherValue!)];
        var act = () => ShardSpec.FromEnvironment(Env(vars));
        act.Should().Throw<ArgumentException>().WithMessage(message);
    }
}
