using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Resume;

namespace Debug.Core.Reports.Merging;

/// <summary>What a merge wrote.</summary>
/// <param name="Folder">The merged run folder.</param>
/// <param name="Shards">Shards merged.</param>
/// <param name="Experiments">Accuracy experiments pooled.</param>
/// <param name="Rows">Other row folders (tracing) copied.</param>
/// <param name="Gates">Gate rows of the merged summary.json.</param>
/// <param name="FailedGates">Gate rows whose pooled status is failed.</param>
public sealed record MergeReport(string Folder, int Shards, int Experiments, int Rows, int Gates, int FailedGates);

/// <summary>
/// Merges the run folders of the shards 0..n-1 of one run into one run folder that reads as if one process had run
/// every row: accuracy experiments pooled (results.json in the single run's order, summary.json and results_summary.csv
/// and the plot recomputed from the pooled records, the saved groups copied), tracing row folders copied as they are,
/// the run-level summary.json with Wilson intervals and gate verdicts recomputed on the pooled counts, and run.json.
/// Only run.json's <see cref="TimingFields"/> and the page built from it (<see cref="TimingFiles"/>, index.html) differ from a
/// single run of the same rows.
/// Refuses, naming the shard, shards of different code or settings, a missing or doubled shard, and a row (accuracy
/// group or row folder) that two shards both ran. The output is written beside its target and renamed into place.
/// </summary>
public static class RunMerge
{
    /// <summary>
    /// run.json fields that describe one process rather than the results: they differ from a single run's. (The merged
    /// <c>models</c> list follows the selection's order, which is the order a single <c>debug eval</c> records; a test run
    /// records models in the order its rows ran.)
    /// </summary>
    public static IReadOnlyList<string> TimingFields { get; } =
        ["run_id", "started_utc", "ended_utc", "wall_seconds", "command_line", "settings.shard", "settings.torch threads"];

    /// <summary>Files that show <see cref="TimingFields"/> and so differ from a single run's too: index.html.</summary>
    public static IReadOnlyList<string> TimingFiles { get; } = [RunFolder.IndexFile];

    /// <summary>Merges <paramref name="shardFolders"/> into the new folder <paramref name="outFolder"/>.</summary>
    /// <exception cref="ShardMergeException">The shards cannot be merged, or <paramref name="outFolder"/> exists.</exception>
    public static MergeReport Merge(IReadOnlyList<string> shardFolders, string outFolder, DateTime? utcNow = null)
    {
        ArgumentNullException.ThrowIfNull(shardFolders);
        ArgumentException.ThrowIfNullOrWhiteSpace(outFolder);
        var runs = shardFolders.Select(ShardRun.Read).OrderBy(r => r.Shard.Index).ToList();
        ShardRun.CheckComplete(runs);
        string target = Path.GetFullPath(outFolder);
        if (Directory.Exists(target) || File.Exists(target))
            throw new ShardMergeException($"--out {target} already exists; merge into a new folder.");
        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.merging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var modelOrder = ModelOrder(runs[0]);
            var (experiments, rows) = MergeSubfolders(runs, staging, modelOrder);
            var gates = GateRows.Pool(runs);
            AtomicFile.WriteAllText(Path.Combine(staging, "summary.json"), gates.ToJsonString(CaseResult.JsonOptions));
            AtomicFile.WriteAllText(Path.Combine(staging, "run.json"),
                MergedInfo(runs, Path.GetFileName(target), modelOrder, utcNow ?? DateTime.UtcNow).ToJsonString(CaseResult.JsonOptions));
            Directory.Move(staging, target);
            RunIndexPage.Write(target);
            int failed = gates.Count(g => g?["status"]?.GetValue<string>() == "failed");
            return new MergeReport(target, runs.Count, experiments, rows, gates.Count, failed);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    // Models in the selection's order (run.json's "models" setting, specs as typed), so pooled records come out in the
    // order one process writes them; models not listed there follow in ordinal order.
    private static Dictionary<string, int> ModelOrder(ShardRun run)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        if (run.Settings.TryGetValue("models", out var models))
            foreach (var spec in models.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                order.TryAdd(ModelReference.Parse(spec).DisplayName, order.Count);
        return order;
    }

    private static (int Experiments, int Rows) MergeSubfolders(IReadOnlyList<ShardRun> runs, string staging, Dictionary<string, int> modelOrder)
    {
        var owner = new Dictionary<string, ShardRun>(StringComparer.Ordinal);
        var experiments = new SortedDictionary<string, List<ShardRun>>(StringComparer.Ordinal);
        foreach (var run in runs)
            foreach (var dir in Directory.EnumerateDirectories(run.Folder).Select(Path.GetFileName).Where(d => !d!.StartsWith('.')).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(run.Folder, dir!, ResultsWriter.ResultsFile)))
                {
                    if (!experiments.TryGetValue(dir!, out var list)) experiments[dir!] = list = [];
                    list.Add(run);
                    continue;
                }
                if (owner.TryGetValue(dir!, out var other))
                    throw new ShardMergeException($"Row folder '{dir}' is in shard {other.Shard} ({other.Folder}) and in shard {run.Shard} ({run.Folder}); a row must run in one shard.");
                owner[dir!] = run;
                CopyTree(Path.Combine(run.Folder, dir!), Path.Combine(staging, dir!));
            }
        foreach (var (name, shards) in experiments)
            ExperimentPool.Merge(name, shards, Path.Combine(staging, name), modelOrder);
        return (experiments.Count, owner.Count);
    }

    private static JsonObject MergedInfo(IReadOnlyList<ShardRun> runs, string runId, Dictionary<string, int> modelOrder, DateTime utcNow)
    {
        var info = (JsonObject)runs[0].Info.DeepClone();
        info["run_id"] = runId;
        var starts = runs.Select(r => r.Info["started_utc"]?.GetValue<DateTime>()).OfType<DateTime>().ToList();
        var ends = runs.Select(r => r.Info["ended_utc"]?.GetValue<DateTime?>()).ToList();
        if (starts.Count > 0) info["started_utc"] = starts.Min();
        // The merged run ended when its last shard did; a shard that never completed leaves it open.
        info["ended_utc"] = ends.All(e => e is not null) && ends.Count > 0 ? ends.Max() : null;
        info["wall_seconds"] = starts.Count > 0 && ends.All(e => e is not null)
            ? Math.Round((ends.Max()!.Value - starts.Min()).TotalSeconds, 3) : null;
        info["command_line"] = $"merge of {runs.Count} shard(s) at {utcNow.ToString("O", CultureInfo.InvariantCulture)}";
        if (info["settings"] is JsonObject settings)
        {
            settings.Remove(ShardRun.ShardSetting);
            // Threads may differ between machines; the merged run lists each value once.
            var threads = runs.Select(r => r.Settings.GetValueOrDefault(ShardRun.ThreadsSetting)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            if (threads.Count > 0) settings[ShardRun.ThreadsSetting] = string.Join(", ", threads);
        }
        var models = runs.SelectMany(r => r.Info["models"] as JsonArray ?? []).Select(m => m!.GetValue<string>()).Distinct(StringComparer.Ordinal)
            .OrderBy(m => modelOrder.GetValueOrDefault(m, int.MaxValue)).ThenBy(m => m, StringComparer.Ordinal);
        info["models"] = new JsonArray([.. models.Select(m => JsonValue.Create(m))]);
        return info;
    }

    internal static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            if (!Path.GetFileName(file).StartsWith('.')) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from))
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
