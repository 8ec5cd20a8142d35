using System.Globalization;

namespace Debug.Core.Experiments;

/// <summary>
/// Which models the experiment suite runs and how many cases per group, chosen without editing code. Sources, first
/// one that sets a value wins:
/// <list type="number">
/// <item>the MSBuild properties <c>-p:DebugModels=...</c> / <c>-p:DebugCases=...</c>, which Debug.Experiments.csproj
/// writes into <see cref="SelectionFileName"/> beside the test assembly (on build and before <c>dotnet test</c> runs,
/// also with <c>--no-build</c>);</item>
/// <item>the environment variables <c>DEBUG_MODELS</c> / <c>DEBUG_CASES</c>, from the shell or from a .runsettings
/// file's <c>RunConfiguration/EnvironmentVariables</c>;</item>
/// <item>the defaults: the embedded models (tiny and tracker) and <see cref="DefaultCases"/> cases.</item>
/// </list>
/// Model lists are separated by <c>;</c>, <c>,</c> or newlines. The MSBuild command line splits a property value at
/// an unquoted <c>;</c> or <c>,</c>, so from a Unix shell write <c>-p:DebugModels='"a;b"'</c> or <c>a%3Bb</c>.
/// </summary>
/// <param name="Models">Model specs as typed (see <see cref="ModelReference.Parse"/>).</param>
/// <param name="CasesPerGroup">Cases per (model, length, hops) group.</param>
/// <param name="Source">Where the values came from, for the test log.</param>
/// <param name="BaseDirectory">
/// The folder relative model paths were resolved against (see <see cref="InvocationDirectory"/>); null when they were
/// kept as typed.
/// </param>
/// <remarks>
/// Relative model folders mean what they mean in the shell the command ran in: <c>dotnet test</c> runs the tests with
/// the build output as working directory, so the project writes the directory <c>dotnet test</c> was started from
/// (MSBuild's <c>MSBuildStartupDirectory</c>) into <see cref="InvocationFileName"/> beside the test assembly, and
/// relative paths from every source (<c>-p:DebugModels</c>, <c>DEBUG_MODELS</c>, a .runsettings file) resolve
/// against it; without that file (an IDE run after a plain build) against the repository root.
/// </remarks>
public sealed record ExperimentSelection(IReadOnlyList<string> Models, int CasesPerGroup, string Source, string? BaseDirectory = null)
{
    /// <summary>The file naming the directory <c>dotnet test</c> was run from, in the test assembly's folder.</summary>
    public const string InvocationFileName = "debug-invocation.txt";

    /// <summary>The key of <see cref="InvocationFileName"/> that holds the directory.</summary>
    public const string InvokedFromKey = "InvokedFrom";

    /// <summary>The file the MSBuild properties are written to, in the test assembly's folder.</summary>
    public const string SelectionFileName = "debug-selection.txt";

    /// <summary>Environment variable naming the models.</summary>
    public const string ModelsVariable = "DEBUG_MODELS";

    /// <summary>Environment variable giving the cases per group.</summary>
    public const string CasesVariable = "DEBUG_CASES";

    /// <summary>
    /// Cases per group when nothing is set. The whole suite (24 groups) then took 23 s on two busy cores with a random
    /// model of the embedded model's size that never stops early, well inside the CI budget of about 4 minutes.
    /// </summary>
    public const int DefaultCases = 50;

    /// <summary>The selection for this process: the selection file beside the assembly, the environment, defaults.</summary>
    public static ExperimentSelection Current() =>
        Resolve(ReadFile(Path.Combine(AppContext.BaseDirectory, SelectionFileName)), Environment.GetEnvironmentVariable,
            InvocationDirectory(ReadFile(Path.Combine(AppContext.BaseDirectory, InvocationFileName))));

    /// <summary>
    /// The directory relative paths resolve against: <see cref="InvokedFromKey"/> of the invocation file when it names an
    /// existing directory, else the repository root, else the current directory.
    /// </summary>
    /// <param name="invocation">Key/value pairs of <see cref="InvocationFileName"/>; empty when absent.</param>
    public static string InvocationDirectory(IReadOnlyDictionary<string, string> invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return invocation.TryGetValue(InvokedFromKey, out var dir) && Directory.Exists(dir) ? Path.GetFullPath(dir) : RepositoryPaths.RootOrCurrent();
    }

    /// <summary>Combines the sources (pure, for tests).</summary>
    /// <param name="file">Key/value pairs of the selection file (<c>DebugModels</c>, <c>DebugCases</c>); empty when absent.</param>
    /// <param name="environment">Environment lookup.</param>
    /// <exception cref="ArgumentException">A case count is not a positive integer.</exception>
    /// <param name="baseDirectory">Where relative model folders are resolved (<see cref="ModelReference.Absolute"/>); null keeps them as typed.</param>
    public static ExperimentSelection Resolve(IReadOnlyDictionary<string, string> file, Func<string, string?> environment, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(environment);
        var (models, modelSource) = Pick(file.GetValueOrDefault("DebugModels"), "-p:DebugModels",
            environment(ModelsVariable), ModelsVariable, string.Join(",", ModelReference.EmbeddedNames));
        var (cases, casesSource) = Pick(file.GetValueOrDefault("DebugCases"), "-p:DebugCases",
            environment(CasesVariable), CasesVariable, DefaultCases.ToString(CultureInfo.InvariantCulture));
        if (!int.TryParse(cases.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            throw new ArgumentException($"{casesSource}: cases per group must be a positive integer, got '{cases}'.");
        var list = models.Split([';', ',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0) list = [.. ModelReference.EmbeddedNames];
        if (baseDirectory is not null) list = [.. list.Select(m => ModelReference.Absolute(m, baseDirectory))];
        return new ExperimentSelection(list, n, $"models from {modelSource}, cases from {casesSource}", baseDirectory);
    }

    /// <summary>Reads <c>key=value</c> lines; a missing file gives an empty map.</summary>
    public static IReadOnlyDictionary<string, string> ReadFile(string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return map;
        foreach (var line in File.ReadAllLines(path))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            string value = line[(eq + 1)..].Trim();
            if (value.Length > 0) map[line[..eq].Trim()] = value;
        }
        return map;
    }

    private static (string Value, string Source) Pick(string? property, string propertyName, string? env, string envName, string fallback) =>
        !string.IsNullOrWhiteSpace(property) ? (property, propertyName)
        : !string.IsNullOrWhiteSpace(env) ? (env, envName)
        : (fallback, "default");

    /// <summary>The display names of <see cref="Models"/>, in order, without duplicates.</summary>
    public IReadOnlyList<string> DisplayNames => [.. Models.Select(m => ModelReference.Parse(m).DisplayName).Distinct(StringComparer.Ordinal)];

    /// <summary>The spec whose display name is <paramref name="displayName"/>.</summary>
    /// <exception cref="ArgumentException">No selected model has that name.</exception>
    public string SpecOf(string displayName) =>
        Models.FirstOrDefault(m => ModelReference.Parse(m).DisplayName == displayName)
            ?? throw new ArgumentException($"'{displayName}' is not among the selected models ({string.Join(", ", Models)}).");
}
