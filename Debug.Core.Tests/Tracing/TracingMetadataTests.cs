using System.Text.Json;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Reports;
using Debug.Core.Tests.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tracing;

public class TracingMetadataTests
{
    [Fact(DisplayName = "experiment_metadata.json carries the Python framework's fields for a traced binding case")]
    public void WritesFrameworkFields()
    {
        var tokenizer = TokenizerFixtures.Load("qwen3");
        var c = BindingTracingCase.Create(tokenizer, hops: 2, lines: 5, seed: 3);
        string folder = Path.Combine(Path.GetTempPath(), "debug-tracing-metadata-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string path = TracingExperimentMetadata.Write(folder, "qwen3", c, 42, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
            Path.GetFileName(path).Should().Be("experiment_metadata.json");
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            root.GetProperty("model_id").GetString().Should().Be("qwen3");
            root.GetProperty("rng_seed").GetUInt64().Should().Be(3);
            root.GetProperty("seq_len").GetInt32().Should().Be(5);
            root.GetProperty("hops").GetInt32().Should().Be(2);
            root.GetProperty("program").GetString().Should().Be(c.Twin.Original.Program);
            root.GetProperty("counterfactual_program").GetString().Should().Be(c.Twin.Counterfactual.Program);
            root.GetProperty("query_var").GetString().Should().Be(c.Twin.Original.Metadata.QueryVariable);
            root.GetProperty("expected_answer").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(c.Twin.Original.Expected);
            root.GetProperty("intervention_targets").GetProperty("ref_depth_1_rhs").GetInt32().Should().Be(c.Root);
            root.GetProperty("intervention_targets").GetProperty("prediction").GetInt32().Should().Be(c.Prediction);
            root.GetProperty("num_interventions").GetInt32().Should().Be(42);
            root.GetProperty("timestamp").GetString().Should().Be("2026-01-02T03:04:05.000000Z");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
