using Debug.Core.Experiments;
using Debug.Core.Experiments.Endpoints;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Serving;

/// <summary>Parsing of <c>openai:</c> and <c>endpoint:</c> model references.</summary>
public sealed class EndpointReferenceTests
{
    [Fact(DisplayName = "openai:<model> targets OpenAI's API with the key from OPENAI_API_KEY")]
    public void OpenAI()
    {
        var r = ModelReference.Parse("openai:gpt-4o-mini");
        r.IsEndpoint.Should().BeTrue();
        r.DisplayName.Should().Be("openai:gpt-4o-mini");
        r.Endpoint!.BaseAddress.Should().Be(new Uri("https://api.openai.com/v1"));
        r.Endpoint.ServedModel.Should().Be("gpt-4o-mini");
        r.Endpoint.KeyVariable.Should().Be("OPENAI_API_KEY");
    }

    [Fact(DisplayName = "endpoint:<url>#<model> names the server and the served model; no key unless one is named")]
    public void Endpoint()
    {
        var r = ModelReference.Parse("endpoint:http://gpu-box:8000/v1/#Qwen/Qwen3-14B");
        r.DisplayName.Should().Be("endpoint:Qwen/Qwen3-14B");
        r.Endpoint!.BaseAddress.Should().Be(new Uri("http://gpu-box:8000/v1"));
        r.Endpoint.ServedModel.Should().Be("Qwen/Qwen3-14B");
        r.Endpoint.KeyVariable.Should().BeNull("a local server's URL must not receive the OpenAI key by default");
        ModelReference.Parse("endpoint:http://h:1/v1#m?key=VLLM_KEY").Endpoint!.KeyVariable.Should().Be("VLLM_KEY");
        ModelReference.Parse("openai:gpt-4o?key=MY_KEY").Endpoint!.KeyVariable.Should().Be("MY_KEY");
    }

    [Fact(DisplayName = "DEBUG_MODELS (and runsettings) take endpoint references next to checkpoints")]
    public void Selection()
    {
        var s = ExperimentSelection.Resolve(new Dictionary<string, string>(),
            v => v == ExperimentSelection.ModelsVariable ? "tiny;endpoint:http://127.0.0.1:8000/v1#Qwen/Qwen3-14B?key=VLLM_KEY;openai:gpt-4o-mini" : null);
        s.DisplayNames.Should().Equal("tiny", "endpoint:Qwen/Qwen3-14B", "openai:gpt-4o-mini");
        s.SpecOf("endpoint:Qwen/Qwen3-14B").Should().Be("endpoint:http://127.0.0.1:8000/v1#Qwen/Qwen3-14B?key=VLLM_KEY");
    }

    [Theory(DisplayName = "Malformed endpoint references are rejected with a message saying what to write")]
    [InlineData("endpoint:http://h:8000/v1", "*after '#'*")]
    [InlineData("endpoint:ftp://h/v1#m", "*is not an http(s) URL*")]
    [InlineData("openai:", "*no model after 'openai:'*")]
    [InlineData("endpoint:http://h/v1?x=1#m", "*must not carry credentials or a query*")]
    public void Malformed(string spec, string message) =>
        FluentActions.Invoking(() => ModelReference.Parse(spec)).Should().Throw<ArgumentException>().WithMessage(message);

    [Fact(DisplayName = "Credentials in a URL or a key pasted after ?key= are rejected without being echoed")]
    public void SecretsAreNotEchoed()
    {
        FluentActions.Invoking(() => ModelReference.Parse("endpoint:http://user:hunter2@h/v1#m")).Should().Throw<ArgumentException>()
            .Which.Message.Should().NotContain("hunter2").And.Contain("credentials");
        FluentActions.Invoking(() => ModelReference.Parse("openai:gpt-4o?key=sk-abc.def-123")).Should().Throw<ArgumentException>()
            .Which.Message.Should().NotContain("sk-abc");
    }

    [Fact(DisplayName = "An endpoint model has no checkpoint folder, and the model cache refuses to load one")]
    public void NoWeights()
    {
        var r = ModelReference.Parse("endpoint:http://127.0.0.1:9/v1#m");
        FluentActions.Invoking(r.ResolveFolder).Should().Throw<InvalidOperationException>().WithMessage("*http://127.0.0.1:9/v1*no checkpoint*");
        using var cache = new ModelCache();
        FluentActions.Invoking(() => cache.Get(r)).Should().Throw<InvalidOperationException>();
    }

    [Theory(DisplayName = "The endpoint stop rule cuts at the first newline after some text, as the in-process runner stops")]
    [InlineData("5\nb = 3", "5\n")]
    [InlineData("\n\n 7\nmore", "\n\n 7\n")]
    [InlineData("no newline", "no newline")]
    [InlineData("", "")]
    public void StopRule(string text, string cut) => AnswerLine.Cut(text).Should().Be(cut);

    [Fact(DisplayName = "Best-of above 1 needs a temperature; negative temperatures are rejected")]
    public void BestOfValidation()
    {
        var config = ServedTiny.Binding(2, "tiny");
        FluentActions.Invoking(() => (config with { BestOf = 4 }).Validate()).Should().Throw<ArgumentException>().WithMessage("*set a Temperature*");
        FluentActions.Invoking(() => (config with { Temperature = -1 }).Validate()).Should().Throw<ArgumentException>().WithMessage("*Temperature*");
        FluentActions.Invoking(() => (config with { BestOf = 0 }).Validate()).Should().Throw<ArgumentException>().WithMessage("*BestOf*");
        (config with { BestOf = 4, Temperature = 0.7 }).Validate();
    }
}
