using System.Reflection;

namespace Debug.Core.Reports;

/// <summary>
/// A run's <c>run.json</c>: what ran, when, for how long, with which Debug build, settings and models. Written when the
/// run starts (end fields null, so an interrupted run is recognisable) and again when it ends.
/// </summary>
/// <param name="RunId">The run's folder name.</param>
/// <param name="Kind">What the run was: <c>dotnet test Debug.Experiments</c>, <c>debug eval</c>, ...</param>
/// <param name="StartedUtc">Start (UTC).</param>
/// <param name="EndedUtc">End (UTC), null while running.</param>
/// <param name="WallSeconds">End minus start in seconds, null while running.</param>
/// <param name="DebugVersion">Debug.Core's informational version (with the source commit when the build knew it).</param>
/// <param name="Commit">The source commit, or null when unknown.</param>
/// <param name="CommandLine">The process's command line.</param>
/// <param name="Settings">Settings of the run (selection, cases, threads, environment), by name.</param>
/// <param name="Models">Models used, in order of first use.</param>
/// <param name="Failure">Why the run stopped early (<see cref="RunFolder.Fail"/>), or null for a run that completed or is running.</param>
public sealed record RunInfo(string RunId, string Kind, DateTime StartedUtc, DateTime? EndedUtc, double? WallSeconds,
    string DebugVersion, string? Commit, string CommandLine, IReadOnlyDictionary<string, string> Settings, IReadOnlyList<string> Models,
    string? Failure = null)
{
    /// <summary>Debug.Core's informational version, e.g. <c>1.0.0+3f2a…</c>.</summary>
    public static string CurrentVersion() =>
        typeof(RunInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RunInfo).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The commit part of an informational version (after '+'), or null.</summary>
    public static string? CommitOf(string version)
    {
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 || plus == version.Length - 1 ? null : version[(plus + 1)..];
    }
}
