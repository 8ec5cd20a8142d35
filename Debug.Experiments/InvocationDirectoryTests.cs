using System.Diagnostics;
using Debug.Core.Experiments;
using FluentAssertions;
using Xunit;

namespace Debug.Experiments;

/// <summary>
/// The project's MSBuild target that tells the tests where <c>dotnet test</c> was run from, run for real: MSBuild
/// started in a temporary directory must write that directory to the invocation file.
/// </summary>
[Trait("Category", "Consistency")]
public sealed class InvocationDirectoryTests
{
    [Fact(DisplayName = "dotnet test records the directory it was started from for relative paths (MSBuild target, run from a temp dir)")]
    public void TargetWritesStartupDirectory()
    {
        string project = Path.Combine(RepositoryPaths.FindRoot()!, "Debug.Experiments", "Debug.Experiments.csproj");
        string cwd = Path.Combine(Path.GetTempPath(), "debug-invocation-" + Guid.NewGuid().ToString("N"));
        string output = Path.Combine(cwd, "out") + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(output);
        try
        {
            // DOTNET_HOST_PATH is the dotnet that runs `dotnet test`; fall back to the one on PATH.
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "msbuild", project, "-t:WriteDebugInvocation", $"-p:OutDir={output}", "-nologo", "-v:q", "-nodeReuse:false" })
                start.ArgumentList.Add(arg);
            using var msbuild = Process.Start(start)!;
            string log = msbuild.StandardOutput.ReadToEnd() + msbuild.StandardError.ReadToEnd();
            msbuild.WaitForExit(TimeSpan.FromMinutes(2)).Should().BeTrue("msbuild should finish: {0}", log);
            msbuild.ExitCode.Should().Be(0, log);

            var file = ExperimentSelection.ReadFile(Path.Combine(output, ExperimentSelection.InvocationFileName));
            file.Should().ContainKey(ExperimentSelection.InvokedFromKey).WhoseValue.Should().Be(cwd);
            ExperimentSelection.InvocationDirectory(file).Should().Be(cwd);
        }
        finally
        {
            Directory.Delete(cwd, recursive: true);
        }
    }
}
