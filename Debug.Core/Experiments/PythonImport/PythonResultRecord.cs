using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Debug.Core.Experiments.PythonImport;

/// <summary>
/// One record of a <c>results.json</c> written by the Python framework's runner (<c>src/debug/runner.py</c>):
/// experiment, model_id, seq_len, seq_id, program, true_answer, predicted_answer, correct, raw_output, and the
/// generator's metadata spread into the record (e.g. query_hops).
/// </summary>
/// <param name="Experiment">Its <c>experiment</c>.</param>
/// <param name="ModelId">Its <c>model_id</c>.</param>
/// <param name="SeqLen">Its <c>seq_len</c>.</param>
/// <param name="SeqId">Its <c>seq_id</c>: case i of the group, <c>RandomState(i)</c> in the current runner.</param>
/// <param name="Program">Its <c>program</c>.</param>
/// <param name="TrueAnswer">Python's <c>str()</c> of <c>true_answer</c> (<c>42</c>, <c>True</c>, <c>[0, 5]</c>).</param>
/// <param name="PredictedAnswer">Python's <c>str()</c> of <c>predicted_answer</c>, or null for None.</param>
/// <param name="Correct">Its <c>correct</c>, as it scored the case.</param>
/// <param name="RawOutput">Its <c>raw_output</c>.</param>
/// <param name="QueryHops">Its <c>query_hops</c>, when present.</param>
/// <param name="Extra">Every other field, unchanged.</param>
public sealed record PythonResultRecord(string Experiment, string ModelId, int SeqLen, int SeqId, string Program,
    string TrueAnswer, string? PredictedAnswer, bool Correct, string RawOutput, int? QueryHops, JsonObject Extra)
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "experiment", "model_id", "seq_len", "seq_id", "program", "true_answer", "predicted_answer", "correct", "raw_output", "query_hops",
    };

    /// <summary>Reads every record of <paramref name="path"/>.</summary>
    /// <param name="path">A results.json of the Python framework.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON list of records, or a record lacks a field or has a wrong type; the message names the file, the record and the field.</exception>
    public static IReadOnlyList<PythonResultRecord> ReadAll(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No results file at {path}.", path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        if (root is not JsonArray array)
            throw new InvalidDataException($"{path}: expected a JSON list of records (the framework's results.json), found {root?.GetValueKind().ToString() ?? "null"}.");
        var records = new List<PythonResultRecord>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject record)
                throw new InvalidDataException($"{path}: record {i} is not a JSON object.");
            records.Add(Read(record, $"{path}: record {i}"));
        }
        return records;
    }

    private static PythonResultRecord Read(JsonObject r, string where)
    {
        var extra = new JsonObject();
        foreach (var (key, value) in r)
            if (!Known.Contains(key)) extra[key] = value?.DeepClone();
        return new PythonResultRecord(
            String(r, "experiment", where), String(r, "model_id", where), Int(r, "seq_len", where), Int(r, "seq_id", where),
            String(r, "program", where), PythonStr(Required(r, "true_answer", where)) ?? "None",
            PythonStr(r["predicted_answer"]), Bool(r, "correct", where), String(r, "raw_output", where),
            r["query_hops"] is null ? null : Int(r, "query_hops", where), extra);
    }

    private static JsonNode? Required(JsonObject r, string field, string where) =>
        r.TryGetPropertyValue(field, out var node) ? node : throw new InvalidDataException($"{where}: field '{field}' is missing.");

    private static string String(JsonObject r, string field, string where) =>
        Required(r, field, where) is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new InvalidDataException($"{where}: field '{field}' must be a string.");

    private static int Int(JsonObject r, string field, string where) =>
        Required(r, field, where) is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int n)
            ? n
            : throw new InvalidDataException($"{where}: field '{field}' must be an integer.");

    private static bool Bool(JsonObject r, string field, string where) =>
        Required(r, field, where) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw new InvalidDataException($"{where}: field '{field}' must be true or false.");

    /// <summary>Python's <c>str()</c> of a JSON value as the framework's runner stored it; null for JSON null (None).</summary>
    public static string? PythonStr(JsonNode? node) => node switch
    {
        null => null,
        JsonArray list => "[" + string.Join(", ", list.Select(e => PythonRepr(e))) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "True",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "False",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    private static string PythonRepr(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String
        ? "'" + v.GetValue<string>().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'"
        : PythonStr(node) ?? "None";
}
