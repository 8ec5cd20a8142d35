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
    private readonly ConcurrentDictionary<(string, int, int), Lazy<RobustSeedSearch>> _searches = new();
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

    /// <summary>The provenance record of a loaded model (its weights hashed once per file version).</summary>
    public ModelProvenance Provenance(LoadedModel model) => _models.Provenance(model);

    /// <summary>
    /// A heartbeat for one row: every <see cref="ProgressHeartbeat.DefaultInterval"/> its status goes to the
    /// diagnostic sink (live in <c>dotnet test</c>) and to the row's own output.
    /// </summary>
    public ProgressHeartbeat Heartbeat(string row, ITestOutputHelper output) => new(row, line =>
    {
        TestContext.Current.SendDiagnosticMessage(line);
        output.WriteLine(line);
    });

    /// <summary>
    /// The first <paramref name="count"/> robust seeds of (<paramref name="hops"/>, <paramref name="lines"/>) for a
    /// model, below the model's search limit (<see cref="TracingRows.Plan"/>; fewer when the model answers too few
    /// programs). The group's search is shared by every row and resumed only when a row needs more seeds than were found
    /// so far; its cost is reported as a diagnostic line whenever it searched.
    /// </summary>
    /// <exception cref="Xunit.Sdk.SkipException">The model is an endpoint model: tracing needs its activations.</exception>
    public IReadOnlyList<ulong> RobustSeeds(string model, int hops, int lines, int count, ProgressHeartbeat? heartbeat = null)
    {
        SkipEndpoint(model);
        heartbeat?.Update($"loading {model}");
        var search = Search(model, hops, lines);
        int before = search.Progress.Tried;
        var seeds = search.Extend(count, heartbeat?.As<SeedSearchProgress>());
        var after = search.Progress;
        if (after.Tried > before)
            TestContext.Current.SendDiagnosticMessage($"{model}: robust seeds of hops {hops}, {lines}-line programs: [{string.Join(", ", seeds)}] " +
                $"(found {after.Found} of {after.Needed} wanted) after {after.Cost}");
        return seeds;
    }

    /// <summary>The (resumable) robust-seed search of a group.</summary>
    public RobustSeedSearch Search(string model, int hops, int lines) =>
        _searches.GetOrAdd((model, hops, lines), key => new Lazy<RobustSeedSearch>(() =>
        {
            var loaded = Model(model);
            return new RobustSeedSearch(loaded.Model, loaded.Tokenizer, hops, lines, TracingRows.PlanFor(Selection, model).SearchLimit);
        })).Value;

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
    /// The case of a theory row: the <paramref name="seedRank"/>-th robust seed of the group (the search stops at that
    /// rank). A model that answers too few of the group's programs has nothing to trace there; the row is then reported
    /// as skipped, with the count and the search's cost in the skip message.
    /// </summary>
    public (LoadedModel Model, BindingTracingCase Case) Case(string model, int hops, int lines, int seedRank, ProgressHeartbeat? heartbeat = null)
    {
        var seeds = RobustSeeds(model, hops, lines, seedRank + 1, heartbeat);
        var cost = Search(model, hops, lines).Progress;
        SkipUnlessTraceable(model, hops, lines, seedRank, seeds.Count, cost.Limit, cost.Cost, heartbeat?.Label);
        var loaded = Model(model);
        return (loaded, BindingTracingCase.Create(loaded.Tokenizer, hops, lines, seeds[seedRank]));
    }

    /// <summary>
    /// Skips the calling row (xunit's <see cref="Assert.Skip(string)"/>: reported as skipped with the reason, neither
    /// passed nor failed) when the group has no robust seed of rank <paramref name="seedRank"/>; a model that answers
    /// too few programs has nothing to trace there, which says nothing about the code under test. The console's own
    /// skip line shows no reason, so a diagnostic line just before it names the row (<paramref name="row"/>) and gives it.
    /// </summary>
    internal static void SkipUnlessTraceable(string model, int hops, int lines, int seedRank, int robustSeeds,
        ulong limit = TracingRows.SeedSearchLimit, string? cost = null, string? row = null)
    {
        if (seedRank < robustSeeds) return;
        string reason = $"NOT TRACED: {model} answers both prompts of only {robustSeeds} of the first {limit} " +
            $"hops-{hops}, {lines}-line programs, so there is no robust seed #{seedRank} to trace." +
            (cost is null ? "" : $" Search: {cost}.");
        TestContext.Current.SendDiagnosticMessage(row is null ? reason : $"{row} [SKIP]: {reason}");
        Assert.Skip(reason);
    }
}

/// <summary>
/// Theory rows of the tracing experiments: (model, hops, lines, seed rank) for every selected model, hops 1..3 and, by
/// default, for the embedded model 5 and 17 lines and the first <see cref="SeedsPerGroup"/> robust seeds, for other
/// models 5 lines and the first robust seed (<see cref="SelectionVariable"/>, <see cref="RanksVariable"/>). Rows name a seed's rank, not the seed itself:
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
    /// Environment variable that sets the seed ranks traced per group (1..<see cref="SeedsPerGroup"/>) for every model,
    /// in either selection of <see cref="SelectionVariable"/>.
    /// </summary>
    public const string RanksVariable = "DEBUG_TRACING_SEEDS";

    /// <summary>Seed ranks traced per group: <see cref="RanksVariable"/>, else <see cref="SeedsPerGroup"/>.</summary>
    /// <exception cref="ArgumentException">The variable is set to anything but 1..<see cref="SeedsPerGroup"/>.</exception>
    public static int RanksTraced(string? value) =>
        string.IsNullOrWhiteSpace(value) ? SeedsPerGroup
        : int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= SeedsPerGroup ? n
        : throw new ArgumentException($"{RanksVariable} must be a whole number from 1 to {SeedsPerGroup}, got '{value}'.");

    /// <summary>Seeds 0..limit-1 are searched for robust ones (the full selection).</summary>
    public const ulong SeedSearchLimit = 200;

    /// <summary>
    /// The quick selection searches fewer seeds: a model that answers binding programs has its first robust seed long
    /// before, and one that answers none (a random checkpoint) costs a CPU a quarter of the full search per group.
    /// </summary>
    public const ulong QuickSeedSearchLimit = 50;

    /// <summary>
    /// Environment variable choosing how much of the tracing grid runs: <c>quick</c> (<see cref="QuickLines"/>, one seed
    /// rank) or <c>full</c> (<see cref="Lines"/>, <see cref="SeedsPerGroup"/> ranks). Default: full for the embedded
    /// model, quick for every other model, whose sweeps take a CPU minutes per row.
    /// </summary>
    public const string SelectionVariable = "DEBUG_TRACING";

    /// <summary>Program lengths of the quick selection.</summary>
    public static IReadOnlyList<int> QuickLines { get; } = [5];

    /// <summary>What a model's tracing rows cover.</summary>
    /// <param name="Lines">Program lengths traced.</param>
    /// <param name="Ranks">Seed ranks traced per (hops, lines) group.</param>
    /// <param name="Full">Whether this is the full selection (the one the robust-seed table snapshots by default).</param>
    /// <param name="SearchLimit">Seeds 0..SearchLimit-1 are searched for robust ones.</param>
    public sealed record Plan(IReadOnlyList<int> Lines, int Ranks, bool Full, ulong SearchLimit);

    /// <summary>
    /// The rows of a model: <see cref="SelectionVariable"/> (<paramref name="selection"/>) picks quick or full, default by
    /// model kind; <see cref="RanksVariable"/> (<paramref name="ranks"/>), when set, overrides the ranks of either.
    /// </summary>
    /// <exception cref="ArgumentException">A variable holds something else than it accepts; the message names it.</exception>
    public static Plan PlanFor(bool embedded, string? selection, string? ranks)
    {
        bool full = selection?.Trim().ToLowerInvariant() switch
        {
            null or "" => embedded,
            "full" => true,
            "quick" => false,
            _ => throw new ArgumentException($"{SelectionVariable} must be 'quick' or 'full', got '{selection}'."),
        };
        int rankCount = string.IsNullOrWhiteSpace(ranks) ? (full ? SeedsPerGroup : 1) : RanksTraced(ranks);
        return new Plan(full ? Lines : QuickLines, rankCount, full, full ? SeedSearchLimit : QuickSeedSearchLimit);
    }

    /// <summary>The plan of a selected model (by display name) in this process's environment.</summary>
    public static Plan PlanFor(ExperimentSelection selection, string model) =>
        PlanFor(ModelReference.Parse(selection.SpecOf(model)).IsEmbeddedBindingModel,
            Environment.GetEnvironmentVariable(SelectionVariable), Environment.GetEnvironmentVariable(RanksVariable));

    /// <summary>(model, hops, lines, seedRank) rows of <paramref name="theory"/>: each model's <see cref="Plan"/>.</summary>
    public static IEnumerable<TheoryDataRow<string, int, int, int>> Rows(string theory)
    {
        var selection = ExperimentSelection.Current();
        return from model in TracedModels(selection)
               let plan = PlanFor(selection, model)
               from hops in Hops
               from lines in plan.Lines
               from rank in Enumerable.Range(0, plan.Ranks)
               select ExperimentRows.TracingRow(theory, model, hops, lines, rank);
    }

    /// <summary>One row of <paramref name="theory"/> per traced model.</summary>
    public static IEnumerable<TheoryDataRow<string>> Models(string theory) =>
        TracedModels(ExperimentSelection.Current()).Select(model => ExperimentRows.Row(theory, model));

    /// <summary>
    /// The selected models the binding tracing rows run on: every model except the embedded ones not trained on
    /// binding (<c>tracker</c>), which can answer no binding program, so each of their rows could only report NOT TRACED
    /// after a seed search (minutes of CI for nothing). Give its folder as an absolute path to trace it anyway.
    /// </summary>
    public static IEnumerable<string> TracedModels(ExperimentSelection selection) =>
        selection.DisplayNames.Where(m => ModelReference.Parse(selection.SpecOf(m)) is var r && (!r.IsEmbedded || r.IsEmbeddedBindingModel));
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
