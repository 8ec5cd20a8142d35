using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Debug.Core.Serialization;

/// <summary>
/// Every JSON Debug writes or reads goes through here: the types come from <see cref="DebugJsonContext"/> (source
/// generated, no reflection) and strings are escaped only where JSON requires it (<see cref="ReadableJsonEncoder"/>).
/// </summary>
public static class DebugJson
{
    /// <summary>
    /// The settings of every file Debug writes: <see cref="DebugJsonContext"/>'s types and naming (snake_case,
    /// indented, NaN as a string) with readable escaping.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(DebugJsonContext.Default.Options) { Encoder = ReadableJsonEncoder.Instance };

    /// <summary>The same settings on one line (for headers embedded in binary files, such as safetensors).</summary>
    public static JsonSerializerOptions Compact { get; } = new(Options) { WriteIndented = false };

    /// <summary>Serializes <paramref name="value"/> with <see cref="Options"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not listed in <see cref="DebugJsonContext"/>.</exception>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>(Options));

    /// <summary>Serializes <paramref name="value"/> with <see cref="Compact"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not listed in <see cref="DebugJsonContext"/>.</exception>
    public static string SerializeCompact<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>(Compact));

    /// <summary>Writes a JSON document built from nodes with <see cref="Options"/> (or on one line).</summary>
    public static string Write(JsonNode? node, bool indented = true) =>
        node is null ? "null" : node.ToJsonString(indented ? Options : Compact);

    /// <summary>
    /// Serializes <paramref name="value"/> by its runtime type into a node (so a derived record keeps its own
    /// properties).
    /// </summary>
    /// <exception cref="NotSupportedException">The runtime type is not listed in <see cref="DebugJsonContext"/>.</exception>
    public static JsonNode? ToNode(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToNode(value, TypeInfo(value.GetType(), Options));
    }

    /// <summary>Deserializes <paramref name="json"/>; <paramref name="source"/> (a file name) goes into the error.</summary>
    /// <exception cref="InvalidDataException">The text is not valid JSON of type <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize(json, TypeInfo<T>(Options))
                ?? throw new InvalidDataException($"{source}: holds null instead of {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON for {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)TypeInfo(typeof(T), options);

    private static JsonTypeInfo TypeInfo(Type type, JsonSerializerOptions options) =>
        options.TryGetTypeInfo(type, out var info) ? info
            : throw new NotSupportedException(
                $"{type.FullName} is not listed in {nameof(DebugJsonContext)}; add [JsonSerializable(typeof({type.Name}))] there " +
                "(Debug serializes without reflection).");
}
