using Debug.Core.Experiments;
using Debug.Core.Reports;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;
using Xunit.Sdk;

namespace Debug.Experiments;

/// <summary>Tracing rows of an endpoint model are skipped with the reason, before anything is loaded or sent.</summary>
[Trait("Category", "Consistency")]
public sealed class EndpointTracingTests
{
    [Fact(DisplayName = "Tracing rows of an endpoint model are skipped: an endpoint exposes no activations")]
    public void EndpointRowsAreSkipped()
    {
        string root = Path.Combine(Path.GetTempPath(), "debug-endpoint-tracing-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var models = new ModelCache();
            var selection = new ExperimentSelection(["endpoint:http://127.0.0.1:9/v1#Qwen/Qwen3-14B"], 1, "test");
            var cases = new TracingCases(models, selection, RunFolder.Create("test", root));

            FluentActions.Invoking(() => cases.Case("endpoint:Qwen/Qwen3-14B", hops: 1, lines: 5, seedRank: 0))
                .Should().Throw<SkipException>().WithMessage("*served by http://127.0.0.1:9/v1*does not expose*");
            FluentActions.Invoking(() => cases.Model("endpoint:Qwen/Qwen3-14B")).Should().Throw<SkipException>();
            models.ListLoaded().Should().BeEmpty("nothing is loaded for an endpoint model");
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
