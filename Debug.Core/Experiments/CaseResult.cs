using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Debug.Core.Serialization;
using Debug.Core.Tasks;

namespace Debug.Core.Experiments;

/// <summary>One scored case: a record of results.json.</summary>
public sealed record CaseResult
{
    /// <summary>Experiment name.</summary>
    public required string Experiment { get; init; }

    /// <summary>Model display name.</summary>
    public required string Model { get; init; }

    /// <summary>The generator's seqLen.</summary>
    public required int SeqLen { get; init; }

    /// <summary>
    /// Referential depth: the configured exact hops, else the program's own depth for variable binding, else null.
    /// </summary>
    public int? Hops { get; init; }

    /// <summary>Case index i within its group; the program came from <see cref="CaseSeeds.For"/>(experiment seed, i).</summary>
    public required int SeedId { get; init; }

    /// <summary>The program.</summary>
    public required string Program { get; init; }

    /// <summary>The full prompt sent to the model.</summary>
    public required string Prompt { get; init; }

    /// <summary>What Python prints.</summary>
    public required string Expected { get; init; }

    /// <summary>The parsed answer, or null when none could be parsed.</summary>
    public string? Predicted { get; init; }

    /// <summary>Whether <see cref="Predicted"/> equals <see cref="Expected"/>.</summary>
    public required bool Correct { get; init; }

    /// <summary>The model's completion, decoded, before parsing.</summary>
    public required string RawOutput { get; init; }

    /// <summary>
    /// The generated token ids; <see cref="RawOutput"/> is the tokenizer's decode of all of them at once (special tokens
    /// and ids past the tokenizer's vocabulary skipped). Null in records written before it was kept.
    /// </summary>
    public IReadOnlyList<int>? OutputIds { get; init; }

    /// <summary>Every sample's raw completion when the run drew several per prompt (best-of-k); null for one.</summary>
    public IReadOnlyList<string>? Samples { get; init; }

    /// <summary>The generator's metadata as JSON (its concrete record's properties).</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>The Python framework's name for <see cref="Model"/> (<c>model_id</c>), so its analysis scripts read this file.</summary>
    public string ModelId => Model;

    /// <summary>The Python framework's name for <see cref="SeedId"/> (<c>seq_id</c>).</summary>
    public int SeqId => SeedId;

    /// <summary>
    /// <see cref="Expected"/> with the Python framework's type (<c>true_answer</c>): a <see cref="long"/> (or, beyond
    /// 64 bits, a <see cref="decimal"/>) for an integer, a <see cref="bool"/> for <c>True</c>/<c>False</c>, else the
    /// string; written as a JSON number, boolean or string.
    /// </summary>
    public object TrueAnswer => PythonValue(Expected);

    /// <summary><see cref="Predicted"/> with the Python framework's type (<c>predicted_answer</c>); null when nothing parsed.</summary>
    public object? PredictedAnswer => Predicted is null ? null : PythonValue(Predicted);

    /// <summary>
    /// The Python framework's <c>query_hops</c> (<see cref="Hops"/>); like its records, absent when the task has no hops.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? QueryHops => Hops;

    /// <summary>An answer string as the Python value it prints: integers as numbers, booleans as booleans, else the string.</summary>
    /// <param name="answer">Python's <c>str()</c> of the value.</param>
    public static object PythonValue(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer == "True") return true;
        if (answer == "False") return false;
        const System.Globalization.NumberStyles Sign = System.Globalization.NumberStyles.AllowLeadingSign;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        bool digits = answer.Length > (answer.StartsWith('-') ? 1 : 0) && !answer.AsSpan(answer.StartsWith('-') ? 1 : 0).ContainsAnyExcept("0123456789");
        if (!digits) return answer;
        if (long.TryParse(answer, Sign, invariant, out long small)) return small;
        // 28-29 digits still fit a decimal, written as a plain JSON integer; longer integers stay strings.
        return decimal.TryParse(answer, Sign, invariant, out decimal large) ? large : answer;
    }

    /// <summary>
    /// Serializer settings of every result file (snake_case names, indented, readable escaping), backed by the
    /// source-generated <see cref="DebugJsonContext"/>; the same object as <see cref="DebugJson.Options"/>.
    /// </summary>
    public static JsonSerializerOptions JsonOptions => DebugJson.Options;

    /// <summary>Serializes metadata by its runtime type, so a generator's own fields are kept.</summary>
    /// <exception cref="NotSupportedException">The metadata record is not listed in <see cref="DebugJsonContext"/>.</exception>
    public static JsonObject? MetadataToJson(TaskMetadata? metadata) =>
        metadata is null ? null : DebugJson.ToNode(metadata) as JsonObject;
}
