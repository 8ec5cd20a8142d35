using Debug.Core.Model.Loading;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Model.Loading;

public class ModelLocatorTests
{
    [Fact(DisplayName = "HF id resolves to the snapshot named by refs/main in the hub cache")]
    public void ResolvesHubCache()
    {
        using var tmp = FixturePaths.Temp();
        string repo = Path.Combine(tmp.Path, "models--Org--Tiny");
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), "abc123\n");
        Directory.CreateDirectory(Path.Combine(repo, "snapshots", "abc123"));
        Directory.CreateDirectory(Path.Combine(repo, "snapshots", "old999"));
        ModelLocator.Resolve("Org/Tiny", tmp.Path).Should().Be(Path.Combine(repo, "snapshots", "abc123"));
    }

    [Fact(DisplayName = "Missing HF model says where it looked and how to download it")]
    public void MissingModelExplains()
    {
        using var tmp = FixturePaths.Temp();
        var e = FluentActions.Invoking(() => ModelLocator.Resolve("Qwen/Qwen3-0.6B", tmp.Path)).Should().Throw<ModelNotFoundException>().Which;
        e.Message.Should().Contain("huggingface-cli download Qwen/Qwen3-0.6B").And.Contain("models--Qwen--Qwen3-0.6B");
    }

    [Fact(DisplayName = "Missing folder is a ModelNotFoundException naming the path")]
    public void MissingFolder()
    {
        FluentActions.Invoking(() => ModelLocator.Resolve("/no/such/dir/model")).Should().Throw<ModelNotFoundException>()
            .WithMessage("*/no/such/dir/model*");
    }
}
