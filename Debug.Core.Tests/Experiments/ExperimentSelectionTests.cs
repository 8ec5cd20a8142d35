using Debug.Core.Experiments;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>Model and case-count selection: MSBuild property file, then environment, then defaults.</summary>
public sealed class ExperimentSelectionTests
{
    private static readonly Dictionary<string, string> NoFile = [];

    private static Func<string, string?> Env(string? models = null, string? cases = null) =>
        name => name switch { "DEBUG_MODELS" => models, "DEBUG_CASES" => cases, _ => null };

    [Fact]
    public void Defaults_to_the_embedded_models_and_the_ci_case_count()
    {
        var s = ExperimentSelection.Resolve(NoFile, Env());
        s.Models.Should().Equal("tiny", "tracker");
        s.CasesPerGroup.Should().Be(ExperimentSelection.DefaultCases);
        s.Source.Should().Be("models from default, cases from default");
    }

    [Fact]
    public void The_environment_overrides_the_defaults()
    {
        var s = ExperimentSelection.Resolve(NoFile, Env("Qwen/Qwen3-0.6B; /tmp/ckpt ,", "200"));
        s.Models.Should().Equal("Qwen/Qwen3-0.6B", "/tmp/ckpt");
        s.DisplayNames.Should().Equal("Qwen/Qwen3-0.6B", "ckpt");
        s.SpecOf("ckpt").Should().Be("/tmp/ckpt");
        s.CasesPerGroup.Should().Be(200);
    }

    [Fact]
    public void The_msbuild_property_overrides_the_environment_value_by_value()
    {
        var file = new Dictionary<string, string> { ["DebugModels"] = "models/tiny;Qwen/Qwen3-0.6B" };
        var s = ExperimentSelection.Resolve(file, Env("other/model", "50"));
        s.Models.Should().Equal("models/tiny", "Qwen/Qwen3-0.6B");
        s.DisplayNames.Should().Equal("tiny", "Qwen/Qwen3-0.6B");
        s.CasesPerGroup.Should().Be(50);
        s.Source.Should().Be("models from -p:DebugModels, cases from DEBUG_CASES");
    }

    [Fact]
    public void The_selection_file_is_key_value_lines_and_blank_values_do_not_count()
    {
        using var temp = new TempFolder();
        string path = temp.Sub("debug-selection.txt");
        File.WriteAllText(path, "DebugModels=Qwen/Qwen3-0.6B;/a/b\nDebugCases=\n");
        var map = ExperimentSelection.ReadFile(path);
        map.Should().ContainKey("DebugModels").WhoseValue.Should().Be("Qwen/Qwen3-0.6B;/a/b");
        map.Should().NotContainKey("DebugCases");
        ExperimentSelection.ReadFile(temp.Sub("absent")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("many")]
    public void A_bad_case_count_is_rejected_naming_its_source(string cases)
    {
        var act = () => ExperimentSelection.Resolve(NoFile, Env(cases: cases));
        act.Should().Throw<ArgumentException>().WithMessage("DEBUG_CASES*positive integer*");
    }
}
