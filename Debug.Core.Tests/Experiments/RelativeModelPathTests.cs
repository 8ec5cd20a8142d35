using Debug.Core.Experiments;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>
/// Relative model folders resolve against the directory the command ran from (the invocation directory), not the
/// process's working directory, which under <c>dotnet test</c> is the build output.
/// </summary>
public sealed class RelativeModelPathTests
{
    [Fact(DisplayName = "A relative folder that exists where the command ran becomes that folder, even when it looks like an HF id")]
    public void ExistingRelativeFolders()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Sub("_newcomer/relmodel"));
        ModelReference.Absolute("_newcomer/relmodel", temp.Path).Should().Be(temp.Sub("_newcomer/relmodel"));
        ModelReference.Absolute("./_newcomer/relmodel", temp.Path).Should().Be(temp.Sub("_newcomer/relmodel"));
        ModelReference.Absolute("_newcomer/relmodel/../relmodel/", temp.Path).Should().Be(temp.Sub("_newcomer/relmodel") + "/");
    }

    [Theory(DisplayName = "Missing relative paths are made absolute against the invocation directory; ids, endpoints, absolute paths, ~ and tiny are kept")]
    [InlineData("./missing/ckpt", "{base}/missing/ckpt")]
    [InlineData("runs/a/final", "{base}/runs/a/final")]
    [InlineData("ckpt", "{base}/ckpt")]
    [InlineData("../elsewhere/ckpt", "{parent}/elsewhere/ckpt")]
    [InlineData("Qwen/Qwen3-0.6B", "Qwen/Qwen3-0.6B")]
    [InlineData("/data/ckpts/step-900", "/data/ckpts/step-900")]
    [InlineData("~/ckpts/step-900", "~/ckpts/step-900")]
    [InlineData("tiny", "tiny")]
    [InlineData("models/tiny", "models/tiny")]
    [InlineData("endpoint:http://127.0.0.1:9/v1#Qwen/Qwen3-14B", "endpoint:http://127.0.0.1:9/v1#Qwen/Qwen3-14B")]
    [InlineData("openai:gpt-4o-mini", "openai:gpt-4o-mini")]
    public void OtherSpecs(string spec, string expected)
    {
        using var temp = new TempFolder();
        string want = expected.Replace("{base}", temp.Path).Replace("{parent}", Path.GetDirectoryName(temp.Path));
        ModelReference.Absolute(spec, temp.Path).Should().Be(want);
    }

    [Fact(DisplayName = "The selection resolves relative models from every source against its base directory and keeps display names")]
    public void SelectionResolvesAgainstBase()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Sub("_newcomer/relmodel"));
        var fromEnv = ExperimentSelection.Resolve(new Dictionary<string, string>(),
            name => name == ExperimentSelection.ModelsVariable ? "_newcomer/relmodel;./other;Qwen/Qwen3-0.6B" : null, temp.Path);
        fromEnv.Models.Should().Equal(temp.Sub("_newcomer/relmodel"), temp.Sub("other"), "Qwen/Qwen3-0.6B");
        fromEnv.DisplayNames.Should().Equal("relmodel", "other", "Qwen/Qwen3-0.6B");
        fromEnv.BaseDirectory.Should().Be(temp.Path);

        var fromProperty = ExperimentSelection.Resolve(new Dictionary<string, string> { ["DebugModels"] = "_newcomer/relmodel" }, _ => null, temp.Path);
        fromProperty.Models.Should().Equal(temp.Sub("_newcomer/relmodel"));

        ExperimentSelection.Resolve(new Dictionary<string, string>(), name => name == ExperimentSelection.ModelsVariable ? "./other" : null).Models.Should().Equal(["./other"], "no base directory keeps specs as typed");
    }

    [Fact(DisplayName = "Invocation directory: the file's InvokedFrom when it exists, else the repository root")]
    public void InvocationDirectory()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.Sub(ExperimentSelection.InvocationFileName), $"{ExperimentSelection.InvokedFromKey}={temp.Path}\n");
        ExperimentSelection.InvocationDirectory(ExperimentSelection.ReadFile(temp.Sub(ExperimentSelection.InvocationFileName))).Should().Be(temp.Path);

        string root = RepositoryPaths.FindRoot()!;
        ExperimentSelection.InvocationDirectory(new Dictionary<string, string>()).Should().Be(root);
        ExperimentSelection.InvocationDirectory(new Dictionary<string, string> { [ExperimentSelection.InvokedFromKey] = temp.Sub("gone") })
            .Should().Be(root, "a directory that no longer exists is not used");
    }
}
