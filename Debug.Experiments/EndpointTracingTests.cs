using Debug.Core.Experiments;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Debug.Experiments;

/// <summary>Tracing rows of an endpoint model are skipped with the reason, before anything is loaded or sent.</summary>
[Trait("Category", "Consistency")]
public sealed class EndpointTracingTests
{
    [Fact(DisplayName = "Tracing rows of an endpoint model are skipped: an endpoint exposes no activations")]
    public void EndpointRowsAreSkipped()
    {
        var sink = new Sink();
        using var models = new ModelCache();
        var selection = new ExperimentSelection(["endpoint:http://127.0.0.1:9/v1#Qwen/Qwen3-14B"], 1, "test");
        var cases = new TracingCases(models, selection, Path.GetTempPath(), sink);

        FluentActions.Invoking(() => cases.Case("endpoint:Qwen/Qwen3-14B", hops: 1, lines: 5, seedRank: 0))
            .Should().Throw<RowSkippedException>().WithMessage("*served by http://127.0.0.1:9/v1*does not expose*");
        FluentActions.Invoking(() => cases.Model("endpoint:Qwen/Qwen3-14B")).Should().Throw<RowSkippedException>();
        sink.Messages.Should().OnlyContain(m => m.StartsWith("NOT TRACED: ", StringComparison.Ordinal)).And.NotBeEmpty();
        models.ListLoaded().Should().BeEmpty();
    }

    private sealed class Sink : LongLivedMarshalByRefObject, IMessageSink
    {
        public List<string> Messages { get; } = [];

        public bool OnMessage(IMessageSinkMessage message)
        {
            if (message is IDiagnosticMessage d) Messages.Add(d.Message);
            return true;
        }
    }
}
