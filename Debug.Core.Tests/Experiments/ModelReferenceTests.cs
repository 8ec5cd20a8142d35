using Debug.Core.Experiments;
using Debug.Core.Model.Loading;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>Model names as typed, their display names and folders.</summary>
public sealed class ModelReferenceTests
{
    [Theory]
    [InlineData("tiny", "tiny", true)]
    [InlineData("models/tiny", "tiny", true)]
    [InlineData("models/tiny/", "tiny", true)]
    [InlineData("Qwen/Qwen3-0.6B", "Qwen/Qwen3-0.6B", false)]
    [InlineData("/data/ckpts/step-900", "step-900", false)]
    [InlineData("./runs/a/final/", "final", false)]
    public void Parses_display_names(string spec, string display, bool embedded)
    {
        var r = ModelReference.Parse(spec);
        r.DisplayName.Should().Be(display);
        r.IsEmbedded.Should().Be(embedded);
    }

    [Fact]
    public void The_embedded_model_resolves_under_the_repository_root()
    {
        string root = RepositoryPaths.FindRoot()!;
        File.Exists(Path.Combine(root, "Debug.sln")).Should().BeTrue();
        string expected = Path.Combine(root, "models", "tiny");
        if (File.Exists(Path.Combine(expected, "config.json")))
        {
            ModelReference.Parse("tiny").ResolveFolder().Should().Be(expected);
        }
        else
        {
            var act = () => ModelReference.Parse("tiny").ResolveFolder();
            act.Should().Throw<ModelNotFoundException>().WithMessage($"*{expected}*");
        }
    }
}
