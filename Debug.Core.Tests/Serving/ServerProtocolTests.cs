using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Debug.Serving;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Serving;

/// <summary>The server's OpenAI surface, spoken to with a plain HttpClient.</summary>
[Trait("Category", "Endpoint")]
public sealed class ServerProtocolTests(ServedTiny tiny) : IClassFixture<ServedTiny>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(DisplayName = "GET /v1/models lists the served model")]
    public async Task Models()
    {
        await using var server = await tiny.StartAsync();
        var json = JsonNode.Parse(await Http.GetStringAsync(server.BaseAddress + "/models", Ct));
        json!["data"]![0]!["id"]!.GetValue<string>().Should().Be("tiny");
        server.BaseAddress.Host.Should().Be("127.0.0.1");
        server.BaseAddress.Port.Should().BeGreaterThan(0, "port 0 binds a free port and reports it");
    }

    [Fact(DisplayName = "POST /v1/completions completes greedily as the engine does, honouring stop and max_tokens")]
    public async Task Completions()
    {
        await using var server = await tiny.StartAsync();
        string prompt = "a = 4\nb = a\n#b:";
        var body = new JsonObject { ["model"] = "tiny", ["prompt"] = new JsonArray(prompt, prompt), ["max_tokens"] = 6, ["temperature"] = 0 };
        var json = await Post(server, "completions", body);
        var expected = Core.Experiments.BatchCompletion.Run(tiny.Model, [prompt], 6, 1)[0];
        var choices = json["choices"]!.AsArray();
        choices.Should().HaveCount(2);
        choices.Select(c => c!["text"]!.GetValue<string>()).Should().OnlyContain(t => t.StartsWith(expected.Text, StringComparison.Ordinal),
            "the runner stops at the answer's newline, the server (without stop) goes on to max_tokens");
        json["usage"]!["prompt_tokens"]!.GetValue<int>().Should().Be(2 * expected.PromptTokens);

        body["stop"] = "\n";
        body["max_tokens"] = 1;
        var one = await Post(server, "completions", body);
        one["choices"]![0]!["finish_reason"]!.GetValue<string>().Should().BeOneOf("length", "stop");
        one["usage"]!["completion_tokens"]!.GetValue<int>().Should().Be(2, "one token per prompt");
    }

    [Theory(DisplayName = "Bad requests get 400 with an OpenAI error naming the field")]
    [InlineData("{\"prompt\": 3}", "prompt")]
    [InlineData("{\"prompt\": \"x\", \"max_tokens\": 100000}", "max_tokens")]
    [InlineData("{\"prompt\": \"x\", \"n\": 0}", "n")]
    [InlineData("{\"prompt\": \"x\", \"stop\": 5}", "stop")]
    [InlineData("not json", "body")]
    public async Task BadRequests(string body, string field)
    {
        await using var server = await tiny.StartAsync();
        using var response = await Http.PostAsync(server.BaseAddress + "/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        json["error"]!["param"]!.GetValue<string>().Should().Be(field);
    }

    [Fact(DisplayName = "Asking for another model gets 404 naming the served one; non-loopback hosts are refused")]
    public async Task WrongModelAndHost()
    {
        await using var server = await tiny.StartAsync();
        using var response = await Http.PostAsync(server.BaseAddress + "/chat/completions",
            Body(new JsonObject { ["model"] = "gpt-4", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) }), Ct);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync(Ct)).Should().Contain("serves 'tiny'");
        FluentActions.Invoking(() => new ServerOptions { Host = IPAddress.Any }.Validate()).Should().Throw<ArgumentException>().WithMessage("*not a loopback*");
    }

    private static StringContent Body(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonObject> Post(CompletionServer server, string path, JsonObject body)
    {
        using var response = await Http.PostAsync(server.BaseAddress + "/" + path, Body(body), Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
