using Debug.Core.Experiments.Sharding;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments.Sharding;

public sealed class ShardCostTests
{
    [Theory(DisplayName = "Shard cost: a model's size comes from its name")]
    [InlineData("tiny", 337e3)]
    [InlineData("Qwen/Qwen3-0.6B", 0.6e9)]
    [InlineData("Qwen/Qwen2.5-14B-Instruct", 14e9)]
    [InlineData("meta-llama/Llama-3.2-1b", 1e9)]
    [InlineData("HuggingFaceTB/SmolLM2-135M", 135e6)]
    [InlineData("my-checkpoint", ShardCost.UnknownModelParameters)]
    [InlineData("Qwen/Qwen3-MoE-Base", ShardCost.UnknownModelParameters)]
    public void ModelSize(string name, double parameters) => ShardCost.ModelParameters(name).Should().Be(parameters);

    [Fact(DisplayName = "Shard cost: an accuracy group scales with cases, prompt length and model size")]
    public void AccuracyScales()
    {
        double one = ShardCost.Accuracy(10, 96, 4, "Qwen/Qwen3-0.6B");
        ShardCost.Accuracy(20, 96, 4, "Qwen/Qwen3-0.6B").Should().Be(2 * one);
        ShardCost.Accuracy(10, 196, 4, "Qwen/Qwen3-0.6B").Should().Be(2 * one);
        ShardCost.Accuracy(10, 96, 4, "Qwen/Qwen3-1.2B").Should().Be(2 * one);
    }

    [Fact(DisplayName = "Shard cost: zero cases or an empty prompt are refused by name")]
    public void Refused()
    {
        FluentActions.Invoking(() => ShardCost.Accuracy(0, 10, 4, "tiny")).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*cases*");
        FluentActions.Invoking(() => ShardCost.Tracing(3, 0, "tiny")).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*promptChars*");
    }
}
