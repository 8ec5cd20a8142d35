using System.Collections.Concurrent;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Reports;
using Xunit;

namespace Debug.Experiments.Infrastructure;

/// <summary>
/// What the tracing experiments share within a test run: the selected models (the same <c>-p:DebugModels</c> /
/// <c>DEBUG_MODELS</c> selection as the accuracy experiments, from the accuracy runner's model cache, so a model is
/// loaded once for both), their robust-seed tables, and where results go. Nothing here runs at test discovery, so
/// listing the tests never loads a model. Part of <see cref="ExperimentSuite"/>.
/// </summary>
public sealed class TracingCases
{
    private readonly ModelCache _models;
    private readonly ConcurrentDictionary<(string, int, int), Lazy<IReadOnlyList<ulong>>> _seeds = new();
    private readonly RunFolder _run;

    internal TracingCases(ModelCache models, ExperimentSelection selection, RunFolder run)
    {
        _models = models;
        _run = run;
        Selection = selection;
    }

    /// <summary>Models of this run.</summary>
    public ExperimentSelection Selection { get; }

    /// <summary>Where tracing rows write their folders: this test run's folder.</summary>
    public string ResultsRoot => _run.Path;

    /// <summary>The model called <paramref name="displayName"/> in the selection, loaded on first use (and listed in run.json).</summary>
    /// <exception cref="Xunit.Sdk.SkipException">The model is an endpoint model (see <see cref="SkipEndpoint"/>).</exception>
    public LoadedModel Model(string displayName)
    {
        SkipEndpoint(displayName);
        var loaded = _models.Get(ModelReference.Parse(Selection.SpecOf(displayName)));
        _run.AddModel(displayName);
        return loaded;
    }

    /// <summary>
    /// The first <see cref="TracingRows.SeedsPerGroup"/> robust seeds of (<paramref name="hops"/>, <paramref name="lines"/>)
    /// for a model, below <see cref="TracingRows.SeedSearchLimit"/> (fewer when the model answers too few programs).
    /// </summary>
    /// <exception cref="Xunit.Sdk.SkipException">The model is an endpoint model: tracing needs its activations.</exception>
    public IReadOnlyList<ulong> RobustSeeds(string model, int hops, int lines)
    {
        SkipEndpoint(model);
        return _seeds.GetOrAdd((model, hops, lines), key => new Lazy<IReadOnlyList<ulong>>(() =>
        {
            var loaded = Model(model);
            return Core.Experiments.Tracing.RobustSeeds.Find(loaded.Model, loaded.Tokenizer, hops, lines,
                TracingRows.SeedsPerGroup, TracingRows.SeedSearchLimit);
        })).Value;
    }

    /// <summary>
    /// Skips the calling row (<see cref="Assert.Skip(string)"/>) when <paramref name="model"/> runs behind an API:
    /// patching needs activations, which an endpoint does not expose.
    /// </summary>
    /// <exception cref="Xunit.Sdk.SkipException">The model is an endpoint model.</exception>
    public void SkipEndpoint(string model)
    {
        var reference = ModelReference.Parse(Selection.SpecOf(model));
        if (reference.Endpoint is not { } endpoint) return;
        string reason = $"{model} is served by {endpoint.BaseAddress}: tracing patches activations, which an " +
            "OpenAI-compatible endpoint does not expose; only the accuracy experiments run on endpoint models.";
        TestContext.Current.SendDiagnosticMessage("NOT TRACED: " + reason);
        Assert.Skip(reason);
    }

    /// <summary>
    /// The case of a theory row: the <paramref name="seedRank"/>-th robust seed of the group. A model that answers too
    /// few of the group's programs has nothing to trace there; the row is then reported as skipped, with the count.
    /// </summary>
    public (LoadedModel Model, BindingTracingCase Case) Case(string model, int hops, int lines, int seedRank)
    {
        var seeds = RobustSeeds(model, hops, lines);
        SkipUnlessTraceable(model, hops, lines, seedRank, seeds.Count);
        var loaded = Model(model);
        return (loaded, BindingTracingCase.Create(loaded.Tokenizer, hops, lines, seeds[seedRank]));
    }

    /// <summary>
    /// Skips the calling row (xunit's <see cref="Assert.Skip(string)"/>: reported as skipped with the reason, neither
    /// passed nor failed) when the group has no robust seed of rank <paramref name="seedRank"/>; a model that answers
    /// too few programs has nothing to trace there, which says nothing about the code under test.
    /// </summary>
    internal static void SkipUnlessTraceable(string model, int hops, int lines, int seedRank, int robustSeeds)
    {
        if (seedRank < robustSeeds) return;
        string reason = $"{model} answers both prompts of only {robustSeeds} of the first {TracingRows.SeedSearchLimit} " +
            $"hops-{hops}, {lines}-line programs, so there is no robust seed #{seedRank} to trace.";
        TestContext.Current.SendDiagnosticMessage("NOT TRACED: " + reason);
        Assert.Skip(reason);
    }
}

/// <summary>
/// Theory rows of the tracing experiments: (model, hops, lines, seed rank) for every selected model, hops 1..3, 5 or
/// 17 lines and the first <see cref="SeedsPerGroup"/> robust seeds (fewer with <see cref="RanksVariable"/>). Rows name a seed's rank, not the seed itself:
/// which seeds are robust is a property of the model, found when the row runs (and locked in its snapshot).
/// </summary>
public static class TracingRows
{
    /// <summary>Hop counts traced.</summary>
    public static IReadOnlyList<int> Hops { get; } = [1, 2, 3];

    /// <summary>Program lengths traced.</summary>
    public static IReadOnlyList<int> Lines { get; } = [5, 17];

    /// <summary>Robust seeds found per (model, hops, lines): the robust-seed table, and the most ranks a run traces.</summary>
    public const int SeedsPerGroup = 3;

    /// <summary>
    /// Environment variable that traces fewer seed ranks per group (1..<see cref="SeedsPerGroup"/>): a real checkpoint's
    /// full sweeps take minutes per row on a CPU. The robust-seed table is unaffected.
    /// </summary>
    public const string RanksVariable = "DEBUG_TRACING_SEEDS";

    /// <summary>Seed ranks traced per group: <see cref="RanksVariable"/>, else <see cref="SeedsPerGroup"/>.</summary>
    /// <exception cref="ArgumentException">The variable is set to anything but 1..<see cref="SeedsPerGroup"/>.</exception>
    public static int RanksTraced(string? value) =>
        string.IsNullOrWhiteSpace(value) ? SeedsPerGroup
        : int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= SeedsPerGroup ? n
        : throw new ArgumentException($"{RanksVariable} must be a whole number from 1 to {SeedsPerGroup}, got '{value}'.");

    /// <summary>Seeds 0..limit-1 are searched for robust ones.</summary>
    public const ulong SeedSearchLimit = 200;

    /// <summary>(model, hops, lines, seedRank) rows of <paramref name="theory"/>.</summary>
    public static IEnumerable<TheoryDataRow<string, int, int, int>> Rows(string theory)
    {
        int ranks = RanksTraced(Environment.GetEnvironmentVariable(RanksVariable));
        return from model in ExperimentSelection.Current().DisplayNames
               from hops in Hops
               from lines in Lines
               from rank in Enumerable.Range(0, ranks)
               select ExperimentRows.TracingRow(theory, model, hops, lines, rank);
    }

    /// <summary>One row of <paramref name="theory"/> per selected model.</summary>
    public static IEnumerable<TheoryDataRow<string>> Models(string theory) =>
        ExperimentSelection.Current().DisplayNames.Select(model => ExperimentRows.Row(theory, model));
}

/// <summary>Where the snapshots of Debug.Experiments live, and file-name-safe snapshot names.</summary>
public static class SnapshotFolder
{
    /// <summary>
    /// <c>__snapshots__</c> beside this project's sources: the folder above the build output that holds the project file.
    /// </summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Debug.Experiments.csproj"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cannot locate the Debug.Experiments source folder for snapshots.");
    }

    /// <summary>A model's display name as part of a file name (<c>Qwen/Qwen3-0.6B</c> becomes <c>Qwen_Qwen3-0.6B</c>).</summary>
    public static string Safe(string model) =>
        new(model.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' or '_' ? ch : '_').ToArray());
}
