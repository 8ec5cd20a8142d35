using Debug.Core.Experiments;
using Debug.Core.Experiments.Gates;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;

namespace Debug.Experiments;

/// <summary>thresholds.json is well-formed and lists every experiment of the embedded model, so none is ungated by omission.</summary>
[Trait("Category", "Consistency")]
public sealed class ThresholdsFileTests
{
    private static ThresholdTable Table() => ThresholdTable.Load(Path.Combine(AppContext.BaseDirectory, "thresholds.json"));

    [Theory]
    [InlineData(ModelReference.EmbeddedName)]
    [InlineData(ModelReference.TrackerName)]
    public void Lists_every_experiment_of_each_embedded_model(string model)
    {
        var listed = Table().ExperimentsOf(model);
        listed.Should().BeEquivalentTo(ExperimentDefinitions.All.Select(e => e.Name));
    }

    [Fact]
    public void Names_only_experiments_that_exist()
    {
        var table = Table();
        var known = ExperimentDefinitions.All.Select(e => e.Name).ToHashSet();
        foreach (string model in table.Models)
            table.ExperimentsOf(model).Should().BeSubsetOf(known, $"thresholds.{model} may only name suite experiments");
    }
}
