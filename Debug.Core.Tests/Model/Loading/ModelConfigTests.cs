using System.Text.Json.Nodes;
using Debug.Core.Model.Loading;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Model.Loading;

public class ModelConfigTests
{
    private static ModelConfig Parse(string json)
    {
        using var tmp = FixturePaths.Temp();
        File.WriteAllText(tmp.File("config.json"), json);
        return ModelConfig.Load(tmp.File("config.json"));
    }

    private static CheckpointFormatException Fails(string json)
    {
        using var tmp = FixturePaths.Temp();
        File.WriteAllText(tmp.File("config.json"), json);
        return FluentActions.Invoking(() => ModelConfig.Load(tmp.File("config.json"))).Should().Throw<CheckpointFormatException>().Which;
    }

    private static string Llama(string extra) =>
        "{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"intermediate_size\":128,\"vocab_size\":100" + extra + "}";

    [Theory(DisplayName = "Fixture config parses with the fields its architecture needs")]
    [MemberData(nameof(CheckpointLoadingTests.Architectures), MemberType = typeof(CheckpointLoadingTests))]
    public void FixtureConfigs(string arch)
    {
        var c = ModelConfig.Load(Path.Combine(FixturePaths.Model(arch), "config.json"));
        c.ModelType.Should().Be(arch);
        c.HiddenSize.Should().BeGreaterThan(0);
        c.NumLayers.Should().BeGreaterThan(0);
        (c.HeadDim * c.NumAttentionHeads).Should().BeGreaterThan(0);
        if (arch == "gemma2")
        {
            c.AttnLogitSoftcapping.Should().Be(50.0);
            c.FinalLogitSoftcapping.Should().Be(30.0);
            c.QueryPreAttnScalar.Should().Be(16);
            c.SlidingWindow.Should().Be(8);
            c.LayerTypes.Should().Contain("sliding_attention");
        }
        if (arch == "qwen3") { c.HeadDim.Should().Be(32); c.NumKeyValueHeads.Should().Be(2); c.Rope.Theta.Should().Be(1_000_000); }
        if (arch == "qwen2") c.AttentionBias.Should().BeTrue();
    }

    [Fact(DisplayName = "transformers 4 (rope_theta + rope_scaling) and 5 (rope_parameters) give the same RoPE")]
    public void BothRopeFormats()
    {
        var v4 = Parse(Llama(",\"rope_theta\":500000.0,\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192}"));
        var v5 = Parse(Llama(",\"rope_parameters\":{\"rope_theta\":500000.0,\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192}"));
        v4.Rope.Should().Be(v5.Rope);
        v4.Rope.Type.Should().Be("llama3");
        v4.Rope.Theta.Should().Be(500000.0);
        v4.Rope.Factor.Should().Be(8.0);
        Parse(Llama(",\"rope_scaling\":{\"type\":\"linear\",\"factor\":2.0}")).Rope.Type.Should().Be("linear");
        Parse(Llama("")).Rope.Should().Be(new RopeConfig());
    }

    [Theory(DisplayName = "Unsupported rope_type is an error naming the field, never a silent fallback")]
    [InlineData("rope_scaling", "yarn")]
    [InlineData("rope_parameters", "longrope")]
    public void UnsupportedRope(string section, string type)
    {
        var e = Fails(Llama($",\"{section}\":{{\"rope_type\":\"{type}\",\"factor\":4.0}}"));
        e.TensorOrField.Should().Be($"{section}.rope_type");
        e.Message.Should().Contain("unsupported rope_type").And.Contain(type);
    }

    [Theory(DisplayName = "Bad config is an error naming the field")]
    [InlineData("{\"model_type\":\"mamba\"}", "model_type", "unknown model_type 'mamba'")]
    [InlineData("{\"hidden_size\":4}", "model_type", "missing")]
    [InlineData("{\"model_type\":\"llama\",\"num_hidden_layers\":2,\"num_attention_heads\":4,\"intermediate_size\":8,\"vocab_size\":10}", "hidden_size", "missing")]
    [InlineData("{\"model_type\":\"llama\",\"hidden_size\":\"wide\",\"num_hidden_layers\":2,\"num_attention_heads\":4,\"intermediate_size\":8,\"vocab_size\":10}", "hidden_size", "integer")]
    [InlineData("{\"model_type\":\"gpt2\",\"n_embd\":8,\"n_head\":2,\"vocab_size\":10,\"n_positions\":16}", "n_layer", "missing")]
    [InlineData("not json", null, "invalid JSON")]
    public void BadConfig(string json, string? field, string messagePart)
    {
        var e = Fails(json);
        e.TensorOrField.Should().Be(field);
        e.Message.Should().Contain(messagePart);
    }

    [Fact(DisplayName = "GPT-2 keys are normalised and eos_token_id accepts a list")]
    public void Gpt2Normalised()
    {
        var c = Parse("{\"model_type\":\"gpt2\",\"n_embd\":8,\"n_head\":2,\"n_layer\":3,\"vocab_size\":10,\"n_positions\":16,\"eos_token_id\":[1,2]}");
        c.HiddenSize.Should().Be(8);
        c.NumLayers.Should().Be(3);
        c.IntermediateSize.Should().Be(32);
        c.HeadDim.Should().Be(4);
        c.EosTokenIds.Should().Equal(1, 2);
        c.Raw.Should().BeOfType<JsonObject>();
    }
}
