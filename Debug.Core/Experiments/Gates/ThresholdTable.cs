using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Debug.Core.Experiments.Gates;

/// <summary>What the threshold file says about one (model, experiment) pair.</summary>
public enum ThresholdState
{
    /// <summary>The file has no entry: accuracy is reported, not gated.</summary>
    Missing,

    /// <summary>The entry is <c>null</c>: listed, but the number is still to be measured and filled in.</summary>
    Pending,

    /// <summary>A number applies.</summary>
    Set,

    /// <summary>The entry is an object with no number for this group (no default, no matching length or hops).</summary>
    Uncovered,
}

/// <summary>
/// Minimum accuracies per model and experiment, read from a JSON file (Debug.Experiments/thresholds.json):
/// <code>
/// { "thresholds": { "tiny": { "variable_binding": 0.8,
///                             "counter": { "default": 0.5, "by_seq_len": { "20": 0.3 }, "by_hops": { "4": 0.2 } },
///                             "fibonacci": null } } }
/// </code>
/// A number applies to every group; an object's <c>by_seq_len</c> entry wins over its <c>by_hops</c> entry, which
/// wins over <c>default</c>. <c>null</c> means "listed, threshold pending" (reported, not gated), for an experiment
/// or, inside <c>by_seq_len</c>, for one length. Other top-level keys (comments) are
/// ignored. An object with no number for a group leaves that group uncovered.
/// </summary>
public sealed class ThresholdTable
{
    private readonly Dictionary<string, Dictionary<string, JsonNode?>> _models;

    private ThresholdTable(Dictionary<string, Dictionary<string, JsonNode?>> models, string source)
    {
        _models = models;
        Source = source;
    }

    /// <summary>Where the table came from (a path, or "inline").</summary>
    public string Source { get; }

    /// <summary>Models with at least one entry.</summary>
    public IReadOnlyCollection<string> Models => _models.Keys;

    /// <summary>The experiments listed for <paramref name="model"/>.</summary>
    public IReadOnlyCollection<string> ExperimentsOf(string model) =>
        _models.TryGetValue(model, out var e) ? e.Keys : [];

    /// <summary>Reads a threshold file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the entry.</exception>
    public static ThresholdTable Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses threshold JSON (see the class summary for the format).</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed; the message names the entry.</exception>
    public static ThresholdTable Parse(string json, string source = "inline")
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e); }
        if (root?["thresholds"] is not JsonObject thresholds)
            throw new InvalidDataException($"{source}: expected an object with a \"thresholds\" object.");
        var models = new Dictionary<string, Dictionary<string, JsonNode?>>(StringComparer.Ordinal);
        foreach (var (model, entries) in thresholds)
        {
            if (entries is not JsonObject obj)
                throw new InvalidDataException($"{source}: thresholds.{model} must be an object of experiment: threshold.");
            var map = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (experiment, value) in obj)
            {
                Validate(value, $"{source}: thresholds.{model}.{experiment}");
                map[experiment] = value;
            }
            models[model] = map;
        }
        return new ThresholdTable(models, source);
    }

    /// <summary>The threshold of one group, and whether the file lists it.</summary>
    public (ThresholdState State, double? Threshold) Lookup(string model, string experiment, int seqLen, int? hops)
    {
        if (!_models.TryGetValue(model, out var entries) || !entries.TryGetValue(experiment, out var node))
            return (ThresholdState.Missing, null);
        if (node is null) return (ThresholdState.Pending, null);
        if (node is JsonValue) return (ThresholdState.Set, node.GetValue<double>());
        var obj = (JsonObject)node;
        string len = seqLen.ToString(CultureInfo.InvariantCulture);
        // A length listed as null is reported, not gated (e.g. lengths a model was never trained on).
        if (obj["by_seq_len"] is JsonObject lengths && lengths.ContainsKey(len) && lengths[len] is null) return (ThresholdState.Pending, null);
        double? value = Number(obj["by_seq_len"]?[len])
            ?? (hops is int h ? Number(obj["by_hops"]?[h.ToString(CultureInfo.InvariantCulture)]) : null)
            ?? Number(obj["default"]);
        return value is null ? (ThresholdState.Uncovered, null) : (ThresholdState.Set, value);
    }

    private static double? Number(JsonNode? node) => node is JsonValue v ? v.GetValue<double>() : null;

    private static void Validate(JsonNode? value, string where)
    {
        switch (value)
        {
            case null:
                return;
            case JsonValue v:
                CheckProbability(v, where);
                return;
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    if (key == "default") { if (child is not null) CheckProbability(child, $"{where}.default"); }
                    else if (key is "by_seq_len" or "by_hops" && child is JsonObject sub)
                        foreach (var (k, x) in sub)
                        {
                            if (!int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                                throw new InvalidDataException($"{where}.{key}: '{k}' is not an integer.");
                            if (x is not null || key != "by_seq_len") CheckProbability(x, $"{where}.{key}.{k}");
                        }
                    else throw new InvalidDataException($"{where}: unknown key '{key}' (expected default, by_seq_len, by_hops).");
                }
                return;
            default:
                throw new InvalidDataException($"{where}: expected a number in [0, 1], null, or an object.");
        }
    }

    private static void CheckProbability(JsonNode? node, string where)
    {
        if (node is not JsonValue v || !v.TryGetValue(out double d) || double.IsNaN(d) || d < 0 || d > 1)
            throw new InvalidDataException($"{where}: expected a number in [0, 1], got {node?.ToJsonString() ?? "null"}.");
    }
}
