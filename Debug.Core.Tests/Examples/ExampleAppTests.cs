using System.Diagnostics;
using Debug.Core.Experiments;
using Debug.Core.Tests.Model;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Examples;

/// <summary>
/// Every <c>examples/*.cs</c> is a .NET 10 file-based app; each is compiled and run here (<c>dotnet run examples/x.cs</c>
/// from the repository root, as a user would), so an example cannot rot. An example checks its own result and exits
/// non-zero when it is wrong.
/// </summary>
[Trait("Category", "Examples")]
public sealed class ExampleAppTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    public static IEnumerable<TheoryDataRow<string>> Examples() =>
        NamedRows.Of("Example", Directory.GetFiles(Path.Combine(Root(), "examples"), "*.cs").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example(string file)
    {
        string results = Directory.CreateTempSubdirectory("debug-example-").FullName;
        // Build output goes to a folder deleted afterwards: by default dotnet keeps each file-based app's build
        // (about 650 MB with libtorch) under ~/.local/share/dotnet/runfile, keyed by the clone's path, for ever.
        string artifacts = Directory.CreateTempSubdirectory("debug-example-build-").FullName;
        try
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                WorkingDirectory = Root(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { "run", "--artifacts-path", artifacts, Path.Combine("examples", file), results }) start.ArgumentList.Add(arg);
            // The test host's MSBuild settings belong to its own build, not to the example's.
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k == "VSTEST_HOST_DEBUG").ToList())
                start.Environment.Remove(key);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(Limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"examples/{file} did not finish within {Limit.TotalMinutes} minutes.");
            }
            string output = await stdout + await stderr;
            process.ExitCode.Should().Be(0, "examples/{0} should build and run; it printed:\n{1}", file, output);
            (await stdout).Should().NotBeNullOrWhiteSpace();
        }
        finally
        {
            Directory.Delete(results, recursive: true);
            Directory.Delete(artifacts, recursive: true);
        }
    }

    private static string Root() =>
        RepositoryPaths.FindRoot(AppContext.BaseDirectory) ?? throw new DirectoryNotFoundException("examples/ lives in the repository; no Debug.sln above " + AppContext.BaseDirectory);
}
