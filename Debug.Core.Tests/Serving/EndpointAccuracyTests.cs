using System.Text.Json;
using Debug.Core.Experiments;
using Debug.Core.Reports;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Serving;

/// <summary>
/// The endpoint path end to end against a real HTTP server: Debug's own engine behind <c>Debug.Serving</c> on a
/// loopback port, asked through Microsoft.Extensions.AI's OpenAI adapter.
/// </summary>
[Trait("Category", "Endpoint")]
public sealed class EndpointAccuracyTests(ServedTiny tiny) : IClassFixture<ServedTiny>
{
    [Fact(DisplayName = "An accuracy run through the endpoint gives the in-process run's completions and accuracies on the same cases")]
    public async Task EndpointMatchesInProcess()
    {
        await using var server = await tiny.StartAsync();
        string endpoint = ServedTiny.Reference(server);
        using var runner = tiny.Runner(tiny.NewResultsRoot());

        var result = runner.Run(ServedTiny.Binding(24, "tiny", endpoint));

        var local = result.Cases.Where(c => c.Model == "tiny").ToList();
        var remote = result.Cases.Where(c => c.Model == "endpoint:tiny").ToList();
        local.Should().HaveCount(48);
        remote.Select(c => (c.SeqLen, c.SeedId, c.Program, c.RawOutput, c.Predicted, c.Correct))
            .Should().Equal(local.Select(c => (c.SeqLen, c.SeedId, c.Program, c.RawOutput, c.Predicted, c.Correct)));
        result.Summary.ByModel["endpoint:tiny"].Accuracy.Should().Be(result.Summary.ByModel["tiny"].Accuracy);
        foreach (int len in new[] { 3, 6 })
            result.Group("endpoint:tiny", len).Count(c => c.Correct).Should().Be(result.Group("tiny", len).Count(c => c.Correct));
        server.CompletionRequests.Should().Be(48, "one request per case, none retried");
    }

    [Fact(DisplayName = "models.json records the endpoint, served model and request settings, and the in-process model's folder")]
    public async Task ResultsRecordTheEndpoint()
    {
        await using var server = await tiny.StartAsync();
        using var runner = tiny.Runner(tiny.NewResultsRoot());
        var result = runner.Run(ServedTiny.Binding(4, "tiny", ServedTiny.Reference(server)));

        var runs = JsonSerializer.Deserialize<List<ModelRunInfo>>(
            File.ReadAllText(Path.Combine(result.OutputFolder!, ResultsWriter.ModelsFile)), CaseResult.JsonOptions)!;
        runs.Should().HaveCount(2);
        var remote = runs.Single(r => r.Model == "endpoint:tiny");
        remote.Backend.Should().Be(ModelRunInfo.Endpoint);
        remote.EndpointUrl.Should().Be(server.BaseAddress.ToString());
        remote.ServedModel.Should().Be("tiny");
        remote.Api.Should().Be("chat/completions");
        remote.ApiKeyVariable.Should().BeNull();
        (remote.MaxNewTokens, remote.Temperature, remote.BestOf, remote.Concurrency, remote.MaxRetries).Should().Be((4, 0.0, 1, 4, 0));
        var local = runs.Single(r => r.Model == "tiny");
        local.Backend.Should().Be(ModelRunInfo.InProcess);
        local.Folder.Should().EndWith(Path.Combine("models", "tiny"));
        local.EndpointUrl.Should().BeNull();
    }

    [Fact(DisplayName = "Best-of-k samples at a temperature the same way in process and through the endpoint, and is recorded")]
    public async Task BestOfMatchesAcrossBackends()
    {
        await using var server = await tiny.StartAsync();
        using var runner = tiny.Runner(tiny.NewResultsRoot());
        var config = ServedTiny.Binding(8, "tiny", ServedTiny.Reference(server)) with { BestOf = 3, Temperature = 1.3 };

        var result = runner.Run(config);

        var local = result.Cases.Where(c => c.Model == "tiny").ToList();
        var remote = result.Cases.Where(c => c.Model == "endpoint:tiny").ToList();
        local.Should().OnlyContain(c => c.Samples != null && c.Samples.Count == 3);
        remote.Select(c => string.Join("|", c.Samples!)).Should().Equal(local.Select(c => string.Join("|", c.Samples!)),
            "sample j of case i draws from the same seed in both backends");
        local.Should().Contain(c => c.Samples!.Distinct().Count() > 1, "at temperature 1.3 the samples differ");
        local.Should().OnlyContain(c => c.Correct == c.Samples!.Any(s => config.Parser.Parse(s) == c.Expected));
        server.CompletionRequests.Should().Be(16 * 3);
        result.ModelRuns.Should().OnlyContain(r => r.BestOf == 3 && r.Temperature == 1.3);

        var again = runner.Run(config with { BatchSize = 3, Models = ["tiny"] });
        again.Cases.Select(c => string.Join("|", c.Samples!)).Should().Equal(local.Select(c => string.Join("|", c.Samples!)),
            "a case's samples depend on its seed, not on the batch");
    }
}
