using System.Text.Json;
using System.Text.Json.Nodes;

namespace Debug.Core.Reports.Merging;

/// <summary>
/// The run-level summary.json of a merge: every shard's gate rows (one per judged group), each group from one shard,
/// with accuracy, Wilson interval and verdict recomputed from the pooled counts and the row's threshold.
/// </summary>
internal static class GateRows
{
    public static JsonArray Pool(IReadOnlyList<ShardRun> runs)
    {
        var rows = new List<(JsonObject Row, ShardRun Shard)>();
        var seen = new Dictionary<(string, string, string), ShardRun>();
        foreach (var run in runs)
        {
            string file = Path.Combine(run.Folder, "summary.json");
            if (!File.Exists(file)) continue;
            JsonArray array;
            try
            {
                array = JsonNode.Parse(File.ReadAllText(file)) as JsonArray ?? throw new ShardMergeException($"{file}: not a list of gate rows.");
            }
            catch (JsonException e)
            {
                throw new ShardMergeException($"{file}: not a list of gate rows ({e.Message}).");
            }
            foreach (var node in array)
            {
                var row = (JsonObject)node!.DeepClone();
                var key = (Text(row, "model"), Text(row, "experiment"), Text(row, "group"));
                if (seen.TryGetValue(key, out var other))
                    throw new ShardMergeException($"Gate {key.Item1} / {key.Item2} / {key.Item3} is in shard {other.Shard} ({other.Folder}) " +
                        $"and in shard {run.Shard} ({run.Folder}); a row must run in one shard.");
                seen[key] = run;
                Recompute(row);
                rows.Add((row, run));
            }
        }
        // The order a single run writes: by model, experiment, length, hops.
        return new JsonArray([.. rows.Select(r => r.Row)
            .OrderBy(r => Text(r, "model"), StringComparer.Ordinal).ThenBy(r => Text(r, "experiment"), StringComparer.Ordinal)
            .ThenBy(r => r["seq_len"]?.GetValue<int>() ?? 0).ThenBy(r => r["hops"]?.GetValue<int?>() ?? -1)]);
    }

    // Counts are the truth; everything derived is recomputed from them (a group that could not run, n = 0, stays failed).
    private static void Recompute(JsonObject row)
    {
        int n = row["n"]?.GetValue<int>() ?? 0, correct = row["correct"]?.GetValue<int>() ?? 0;
        if (n == 0) return;
        var stat = AccuracyStat.Of(correct, n);
        row["accuracy"] = stat.Accuracy;
        row["wilson_low"] = stat.CiLow;
        row["wilson_high"] = stat.CiHigh;
        double? threshold = row["threshold"]?.GetValue<double>();
        row["status"] = threshold is null ? "not_gated" : stat.CiLow >= threshold ? "passed" : "failed";
    }

    private static string Text(JsonObject row, string name) => row[name]?.GetValue<string>() ?? "";
}
