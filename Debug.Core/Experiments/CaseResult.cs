using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
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

    /// <summary>Every sample's raw completion when the run drew several per prompt (best-of-k); null for one.</summary>
    public IReadOnlyList<string>? Samples { get; init; }

    /// <summary>The generator's metadata as JSON (its concrete record's properties).</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>Serializer settings of every result file: snake_case names, indented, invariant numbers.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Serializes metadata by its runtime type, so a generator's own fields are kept.</summary>
    public static JsonObject? MetadataToJson(TaskMetadata? metadata) =>
        metadata is null ? null : JsonSerializer.SerializeToNode(metadata, metadata.GetType(), JsonOptions) as JsonObject;
}
