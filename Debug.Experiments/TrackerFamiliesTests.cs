using Debug.Core.Training;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;

namespace Debug.Experiments;

/// <summary>The tracker model is trained on exactly the prompts the suite tests it on.</summary>
[Trait("Category", "Consistency")]
public sealed class TrackerFamiliesTests
{
    [Fact(DisplayName = "Every tracker training family is a suite experiment with the same generator, template and lengths")]
    public void FamiliesAreSuiteExperiments()
    {
        foreach (var family in TrackerFamilies.All)
        {
            var experiment = ExperimentDefinitions.All.SingleOrDefault(e => e.Name == family.Name);
            experiment.Should().NotBeNull($"{family.Name} is trained, so the suite must test it");
            experiment!.Generator.GetType().Should().Be(family.Generator.GetType(), family.Name);
            experiment.Template.Text.Should().Be(family.Template.Text, family.Name);
            experiment.SeqLens.Should().BeSubsetOf(family.Lengths, $"{family.Name}: CI lengths are trained lengths");
        }
    }
}
