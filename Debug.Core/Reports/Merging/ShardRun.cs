using System.Text.Json;
using System.Text.Json.Nodes;
using Debug.Core.Experiments.Sharding;

namespace Debug.Core.Reports.Merging;

/// <summary>
/// One shard's run folder as the merge reads it: its run.json (code version, settings with the <c>shard</c> entry
/// <c>k/n</c>, models) and its subfolders.
/// </summary>
public sealed class ShardRun
{
    /// <summary>The settings entry that names a run's shard (<c>k/n</c>); a run without it is shard 0/1.</summary>
    public const string ShardSetting = "shard";

    /// <summary>The settings entry of libtorch's thread count, which follows each machine's cores.</summary>
    public const string ThreadsSetting = "torch threads";

    /// <summary>
    /// Settings that may differ between the shards of one run: the shard itself and the thread count of its machine.
    /// Everything else in run.json's settings (models and their checkpoint hashes, cases, tracing ranks) must agree.
    /// </summary>
    public static IReadOnlySet<string> PerShardSettings { get; } = new HashSet<string>(StringComparer.Ordinal) { ShardSetting, ThreadsSetting };

    private ShardRun(string folder, JsonObject info, ShardSpec shard, IReadOnlyDictionary<string, string> settings)
    {
        Folder = folder;
        Info = info;
        Shard = shard;
        Settings = settings;
    }

    /// <summary>The run folder (absolute).</summary>
    public string Folder { get; }

    /// <summary>run.json as read.</summary>
    public JsonObject Info { get; }

    /// <summary>Which shard this run was.</summary>
    public ShardSpec Shard { get; }

    /// <summary>run.json's settings.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Debug's version and commit that wrote the run.</summary>
    public string CodeVersion => $"{Info["debug_version"]?.GetValue<string>()} (commit {Info["commit"]?.GetValue<string>() ?? "unknown"})";

    /// <summary>Reads the run folder <paramref name="folder"/>.</summary>
    /// <exception cref="ShardMergeException">It is not a run folder, or its shard setting is malformed.</exception>
    public static ShardRun Read(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string full = Path.GetFullPath(folder);
        string file = Path.Combine(full, "run.json");
        if (!File.Exists(file)) throw new ShardMergeException($"{full}: not a run folder (no run.json).");
        JsonObject info;
        try
        {
            info = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new ShardMergeException($"{file}: not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ShardMergeException($"{file}: not valid JSON ({e.Message}).");
        }
        var settings = (info["settings"] as JsonObject ?? [])
            .ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "", StringComparer.Ordinal);
        ShardSpec shard;
        try
        {
            shard = settings.TryGetValue(ShardSetting, out var value) ? ShardSpec.ParseSlash(value, $"{file}: settings.{ShardSetting}") : ShardSpec.Unsharded;
        }
        catch (ArgumentException e)
        {
            throw new ShardMergeException(e.Message);
        }
        return new ShardRun(full, info, shard, settings);
    }

    /// <summary>
    /// Checks that <paramref name="runs"/> are the shards 0..n-1 of one run: the same shard count, each index once,
    /// the same code version and the same settings apart from <see cref="PerShardSettings"/>.
    /// </summary>
    /// <exception cref="ShardMergeException">They are not; the message names the shard.</exception>
    public static void CheckComplete(IReadOnlyList<ShardRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ShardMergeException("No shard run folders to merge.");
        var first = runs[0];
        foreach (var run in runs)
        {
            if (run.Shard.Count != first.Shard.Count)
                throw new ShardMergeException($"{run.Folder}: shard {run.Shard} of a {run.Shard.Count}-shard run, but {first.Folder} is shard {first.Shard}.");
            if (run.CodeVersion != first.CodeVersion)
                throw new ShardMergeException($"{run.Folder} (shard {run.Shard}): ran Debug {run.CodeVersion}, but {first.Folder} (shard {first.Shard}) ran {first.CodeVersion}.");
            foreach (string key in run.Settings.Keys.Union(first.Settings.Keys).Where(k => !PerShardSettings.Contains(k)).Order(StringComparer.Ordinal))
            {
                string? mine = run.Settings.GetValueOrDefault(key), theirs = first.Settings.GetValueOrDefault(key);
                if (mine != theirs)
                    throw new ShardMergeException($"{run.Folder} (shard {run.Shard}): setting '{key}' is {Show(mine)}, but {first.Folder} (shard {first.Shard}) has {Show(theirs)}.");
            }
        }
        foreach (var twice in runs.GroupBy(r => r.Shard.Index).Where(g => g.Count() > 1))
            throw new ShardMergeException($"Shard {twice.First().Shard} appears twice: {string.Join(" and ", twice.Select(r => r.Folder))}.");
        var missing = Enumerable.Range(0, first.Shard.Count).Except(runs.Select(r => r.Shard.Index)).ToList();
        if (missing.Count > 0)
            throw new ShardMergeException($"Shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"{m}/{first.Shard.Count}"))} " +
                $"missing: got {string.Join(", ", runs.Select(r => $"{r.Shard} ({r.Folder})"))}.");
    }

    private static string Show(string? value) => value is null ? "not set" : $"'{value}'";
}
