using System.Text.Json;
using System.Text.Json.Nodes;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Resume;

namespace Debug.Core.Reports.Merging;

/// <summary>
/// Pools one accuracy experiment's folders from several shards: every (model, length, hops) group comes from exactly
/// one shard; the records are put in the order one process writes them (models in selection order, then length, hops
/// and case index) and every derived file is recomputed from them by the same code that writes a single run.
/// </summary>
internal static class ExperimentPool
{
    public static void Merge(string experiment, IReadOnlyList<ShardRun> shards, string into, IReadOnlyDictionary<string, int> modelOrder)
    {
        var groupOwner = new Dictionary<(string Model, int SeqLen, int? Hops), ShardRun>();
        var cases = new List<CaseResult>();
        var modelErrors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        bool exactHops = false;
        foreach (var shard in shards)
        {
            string folder = Path.Combine(shard.Folder, experiment);
            var summary = ReadSummary(Path.Combine(folder, ResultsWriter.SummaryFile));
            var groups = (summary["groups"] as JsonArray ?? []).Select(g => (
                Model: g!["model"]!.GetValue<string>(), SeqLen: g["seq_len"]!.GetValue<int>(), Hops: g["hops"]?.GetValue<int?>())).ToList();
            exactHops |= groups.Any(g => g.Hops is not null);
            foreach (var group in groups)
            {
                if (groupOwner.TryGetValue(group, out var other))
                    throw new ShardMergeException($"{experiment}: group ({group.Model}, seqLen {group.SeqLen}{(group.Hops is int h ? $", hops {h}" : "")}) " +
                        $"is in shard {other.Shard} ({other.Folder}) and in shard {shard.Shard} ({shard.Folder}); a row must run in one shard.");
                groupOwner[group] = shard;
            }
            foreach (var (model, error) in summary["model_errors"] as JsonObject ?? [])
                modelErrors.TryAdd(model, error?.GetValue<string>() ?? "");
            cases.AddRange(ResultsWriter.ReadCases(Path.Combine(folder, ResultsWriter.ResultsFile)));
            CopyGroupFiles(folder, into, shard);
            CopyModelRecords(folder, into);
        }
        var ordered = cases
            .OrderBy(c => modelOrder.GetValueOrDefault(c.Model, int.MaxValue)).ThenBy(c => c.Model, StringComparer.Ordinal)
            .ThenBy(c => c.SeqLen).ThenBy(c => exactHops ? c.Hops : null).ThenBy(c => c.SeedId).ToList();
        Directory.CreateDirectory(into);
        var pooled = AccuracySummary.Compute(experiment, ordered, exactHops, modelErrors.Count == 0 ? null : new Dictionary<string, string>(modelErrors));
        ResultsWriter.WriteFiles(into, ordered, pooled, exactHops);
    }

    private static JsonObject ReadSummary(string file)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new ShardMergeException($"{file}: not a summary object.");
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new ShardMergeException($"{file}: unreadable summary ({e.Message}).");
        }
    }

    // The models' records (provenance.json, models.json) are the same in every shard that ran a model of the
    // selection, so the first shard's copy stands for the pooled experiment. (A selection of several models whose
    // shards ran different subsets would need their union; not handled yet.)
    private static void CopyModelRecords(string from, string into)
    {
        Directory.CreateDirectory(into);
        foreach (string name in new[] { ModelProvenance.FileName, ResultsWriter.ModelsFile })
        {
            string source = Path.Combine(from, name), target = Path.Combine(into, name);
            if (File.Exists(source) && !File.Exists(target)) File.Copy(source, target);
        }
    }

    // Saved groups travel with the pooled experiment, so a merged run can be resumed or merged like a single one.
    private static void CopyGroupFiles(string from, string into, ShardRun shard)
    {
        string source = Path.Combine(from, GroupCheckpoints.FolderName);
        if (!Directory.Exists(source)) return;
        string target = Path.Combine(into, GroupCheckpoints.FolderName);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*.json"))
        {
            string dest = Path.Combine(target, Path.GetFileName(file));
            if (File.Exists(dest))
                throw new ShardMergeException($"{file} (shard {shard.Shard}): another shard saved the same group; a row must run in one shard.");
            File.Copy(file, dest);
        }
    }
}
