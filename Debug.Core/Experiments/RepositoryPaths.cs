namespace Debug.Core.Experiments;

/// <summary>Finds the repository (the folder holding Debug.sln) from a build output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The solution file that marks the repository root.</summary>
    public const string SolutionFile = "Debug.sln";

    /// <summary>
    /// Walks up from <paramref name="start"/> (default <see cref="AppContext.BaseDirectory"/>, i.e. bin/...) to the
    /// first folder containing Debug.sln; null when there is none (e.g. a published copy outside the repo).
    /// </summary>
    public static string? FindRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        return null;
    }

    /// <summary>The repository root, or the current directory when the build output is not inside a repository.</summary>
    public static string RootOrCurrent() => FindRoot() ?? Directory.GetCurrentDirectory();

    /// <summary>Default results root: <c>results/</c> in the repository.</summary>
    public static string DefaultResultsRoot() => Path.Combine(RootOrCurrent(), "results");
}
