using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;

namespace Debug.Experiments;

/// <summary>DEBUG_LENGTHS chooses between the CI lengths and the Python framework's full grid.</summary>
[Trait("Category", "Consistency")]
public sealed class LengthGridTests
{
    [Fact(DisplayName = "DEBUG_LENGTHS=full runs the framework's grid; unset or ci runs the CI subset")]
    public void FullGridIsOneSettingAway()
    {
        var binding = ExperimentDefinitions.VariableBinding;
        binding.LengthsFor(null).Should().Equal(2, 5, 10, 17);
        binding.LengthsFor("ci").Should().Equal(2, 5, 10, 17);
        binding.LengthsFor("full").Should().Equal(Enumerable.Range(1, 17));
        ExperimentDefinitions.RangeTrackingSingle.LengthsFor("FULL").Should().Equal(Enumerable.Range(2, 15));
        ExperimentDefinitions.BooleanLogic.LengthsFor("full").Should().Equal(Enumerable.Range(2, 7));
        ExperimentDefinitions.Counter.LengthsFor("full").Should().Equal(ExperimentDefinitions.Counter.SeqLens, "without a full grid the CI set is the grid");
    }

    [Fact(DisplayName = "Any other DEBUG_LENGTHS value is an error naming the variable")]
    public void RejectsUnknownSetting() =>
        FluentActions.Invoking(() => ExperimentDefinitions.VariableBinding.LengthsFor("most"))
            .Should().Throw<ArgumentException>().WithMessage("*DEBUG_LENGTHS*");

    [Fact(DisplayName = "Every CI length is part of the full grid")]
    public void CiLengthsAreInTheGrid()
    {
        foreach (var experiment in ExperimentDefinitions.All)
            experiment.LengthsFor("full").Should().Contain(experiment.SeqLens, experiment.Name);
    }
}
