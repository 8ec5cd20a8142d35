using Debug.Core.Experiments;
using Debug.Core.Experiments.Endpoints;
using Debug.Core.Reports;
using Debug.Serving;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Serving;

/// <summary>The endpoint path's failure handling, against the same server with an injected fault.</summary>
[Trait("Category", "Endpoint")]
public sealed class EndpointFailureTests(ServedTiny tiny) : IClassFixture<ServedTiny>
{
    private static EndpointOptions Fast(int retries = 0, double timeoutSeconds = 30) => new()
    {
        Concurrency = 2, MaxRetries = retries, RetryBaseDelay = TimeSpan.FromMilliseconds(20), RequestTimeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    [Fact(DisplayName = "Requests answered 500 or 429 are retried with backoff and the run completes")]
    public async Task RetriesServerErrors()
    {
        await using var server = await tiny.StartAsync(new ServerFault { Status = 500, Count = 2 });
        using var runner = tiny.Runner(tiny.NewResultsRoot(), Fast(retries: 3));
        var result = runner.Run(ServedTiny.Binding(4, ServedTiny.Reference(server)));
        result.Cases.Should().HaveCount(8);
        server.CompletionRequests.Should().Be(10, "two answered 500 and were sent again");

        await using var limited = await tiny.StartAsync(new ServerFault { Status = 429, Count = 1 });
        runner.Run(ServedTiny.Binding(4, ServedTiny.Reference(limited))).Cases.Should().HaveCount(8);
        limited.CompletionRequests.Should().Be(9);
    }

    [Fact(DisplayName = "No more requests are in flight than the concurrency bound")]
    public async Task ConcurrencyIsBounded()
    {
        await using var server = await tiny.StartAsync(new ServerFault { Delay = TimeSpan.FromMilliseconds(150) });
        using var runner = tiny.Runner(tiny.NewResultsRoot(), Fast() with { Concurrency = 3 });
        runner.Run(ServedTiny.Binding(8, ServedTiny.Reference(server))).Cases.Should().HaveCount(16);
        server.MaxConcurrentRequests.Should().Be(3, "eight prompts per batch, three at a time, each held 150 ms by the server");
    }

    [Fact(DisplayName = "A server that keeps answering 500 fails the run with an error naming the endpoint")]
    public async Task PersistentServerErrorNamesTheEndpoint()
    {
        await using var server = await tiny.StartAsync(new ServerFault { Status = 500 });
        using var runner = tiny.Runner(tiny.NewResultsRoot(), Fast(retries: 2));
        var act = () => runner.Run(ServedTiny.Binding(2, ServedTiny.Reference(server)) with { Models = [ServedTiny.Reference(server)] });
        var error = act.Should().Throw<ExperimentRunException>().Which;
        error.InnerException.Should().BeOfType<EndpointException>()
            .Which.Message.Should().StartWith($"Endpoint {server.BaseAddress} (model tiny): HTTP 500 after 2 retries");
        server.CompletionRequests.Should().BeGreaterThanOrEqualTo(3).And.BeLessThanOrEqualTo(6, "each failing request is tried 3 times, two at once");
    }

    [Fact(DisplayName = "A reply that is not JSON fails with 'malformed JSON' and the endpoint's name")]
    public async Task MalformedJson()
    {
        await using var server = await tiny.StartAsync(new ServerFault { MalformedJson = true });
        using var runner = tiny.Runner(tiny.NewResultsRoot(), Fast());
        var act = () => runner.Run(ServedTiny.Binding(2, ServedTiny.Reference(server)));
        act.Should().Throw<ExperimentRunException>().WithInnerException<EndpointException>()
            .WithMessage($"Endpoint {server.BaseAddress} (model tiny): answered with malformed JSON*");
    }

    [Fact(DisplayName = "A server slower than the per-request timeout fails with the timeout in the message")]
    public async Task Timeout()
    {
        await using var server = await tiny.StartAsync(new ServerFault { Delay = TimeSpan.FromSeconds(20) });
        using var runner = tiny.Runner(tiny.NewResultsRoot(), Fast(timeoutSeconds: 0.5));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var act = () => runner.Run(ServedTiny.Binding(1, ServedTiny.Reference(server)));
        act.Should().Throw<ExperimentRunException>().WithInnerException<EndpointException>()
            .WithMessage($"Endpoint {server.BaseAddress} (model tiny): no answer within the per-request timeout of 0.5 s*");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "the client gives up, it does not wait for the server");
    }

    [Fact(DisplayName = "An endpoint nobody listens on fails with 'unreachable' and its URL")]
    public async Task Unreachable()
    {
        Uri address;
        await using (var server = await tiny.StartAsync()) address = server.BaseAddress; // the port is free again after this
        using var runner = tiny.Runner(tiny.NewResultsRoot(), Fast());
        var act = () => runner.Run(ServedTiny.Binding(1, $"endpoint:{address}#tiny"));
        act.Should().Throw<ExperimentRunException>().WithInnerException<EndpointException>()
            .WithMessage($"Endpoint {address} (model tiny): unreachable*");
    }

    [Fact(DisplayName = "A run that fails mid-way keeps and writes the groups it completed")]
    public async Task CompletedGroupsAreKept()
    {
        // Groups run one after another: the first 4 requests are length 3's cases, then length 6 fails.
        await using var server = await tiny.StartAsync(new ServerFault { Status = 503, Start = 4 });
        string root = tiny.NewResultsRoot();
        using var runner = tiny.Runner(root, Fast());
        var act = () => runner.Run(ServedTiny.Binding(4, ServedTiny.Reference(server)));

        var error = act.Should().Throw<ExperimentRunException>().Which;
        error.CompletedGroups.Should().Be(1);
        error.Message.Should().Contain("failed after 1 completed group(s)").And.Contain(error.PartialResult!.OutputFolder!);
        error.PartialResult.Cases.Should().HaveCount(4).And.OnlyContain(c => c.SeqLen == 3);
        ResultsWriter.ReadCases(Path.Combine(error.PartialResult.OutputFolder!, ResultsWriter.ResultsFile))
            .Should().HaveCount(4).And.OnlyContain(c => c.SeqLen == 3);
        error.PartialResult.ModelErrors.Should().ContainKey("endpoint:tiny");
    }

    [Fact(DisplayName = "With ContinueOnModelError a failing endpoint is recorded and the other models still run")]
    public async Task OtherModelsStillRun()
    {
        await using var server = await tiny.StartAsync(new ServerFault { Status = 500 });
        using var runner = tiny.Runner(tiny.NewResultsRoot(), Fast(), continueOnError: true);
        var result = runner.Run(ServedTiny.Binding(2, ServedTiny.Reference(server), "tiny"));
        result.ModelErrors["endpoint:tiny"].Should().BeOfType<EndpointException>();
        result.Cases.Should().HaveCount(4).And.OnlyContain(c => c.Model == "tiny");
    }

    [Fact(DisplayName = "The API key never appears in exceptions, results or progress, even when the server echoes it")]
    public async Task KeyNeverLeaks()
    {
        string variable = "DEBUG_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        string secret = "sk-test-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var progress = new List<string>();
            await using (var echoing = await tiny.StartAsync(new ServerFault { Status = 500, EchoAuthorization = true }))
            {
                using var runner = tiny.Runner(tiny.NewResultsRoot(), Fast());
                var act = () => runner.Run(ServedTiny.Binding(2, ServedTiny.Reference(echoing, variable)));
                var error = act.Should().Throw<ExperimentRunException>().Which;
                error.ToString().Should().NotContain(secret).And.Contain("***", "the echoed key is redacted");
            }

            await using var server = await tiny.StartAsync();
            string root = tiny.NewResultsRoot();
            using var ok = tiny.Runner(root, Fast());
            var result = ok.Run(ServedTiny.Binding(2, ServedTiny.Reference(server, variable)), new Recorder(progress));
            result.ModelRuns.Single().ApiKeyVariable.Should().Be(variable);
            foreach (var file in Directory.GetFiles(result.OutputFolder!).Where(f => !f.EndsWith(".png", StringComparison.Ordinal)))
                File.ReadAllText(file).Should().NotContain(secret, "{0} is a result file", file);
            progress.Should().NotBeEmpty().And.OnlyContain(line => !line.Contains(secret, StringComparison.Ordinal));
            result.Cases.Should().OnlyContain(c => !c.RawOutput.Contains(secret, StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact(DisplayName = "A key variable that is not set fails with the variable's name before any request")]
    public async Task MissingKeyVariable()
    {
        await using var server = await tiny.StartAsync();
        using var runner = tiny.Runner(tiny.NewResultsRoot(), Fast());
        var act = () => runner.Run(ServedTiny.Binding(1, ServedTiny.Reference(server, "DEBUG_TEST_UNSET_KEY_VARIABLE")));
        act.Should().Throw<EndpointException>().WithMessage("*the API key variable DEBUG_TEST_UNSET_KEY_VARIABLE is not set*");
        server.CompletionRequests.Should().Be(0);
    }

    private sealed class Recorder(List<string> lines) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => lines.Add(value.ToString());
    }
}
