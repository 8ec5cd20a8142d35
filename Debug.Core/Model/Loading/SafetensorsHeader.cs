using System.Text.Json;

namespace Debug.Core.Model.Loading;

/// <summary>
/// Parses and validates the header of a safetensors file: an 8-byte little-endian length, then that many bytes of
/// JSON mapping tensor names to dtype, shape and data offsets. Every way a header can be wrong becomes a
/// <see cref="CheckpointFormatException"/>; this class never touches tensor data, so it can be fuzzed cheaply.
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>Headers above this size are refused rather than allocated (the format's reference reader uses 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Bytes per element of each supported dtype.</summary>
    public static readonly IReadOnlyDictionary<string, int> ElementSizes = new Dictionary<string, int>
    {
        ["F32"] = 4, ["BF16"] = 2, ["F16"] = 2, ["I64"] = 8,
    };

    /// <summary>Reads the header length from the first 8 bytes and checks it against the file length.</summary>
    public static long ReadHeaderLength(ReadOnlySpan<byte> first8, long fileLength, string file)
    {
        if (fileLength < 8 || first8.Length < 8)
            throw new CheckpointFormatException(file, null, $"truncated file: {fileLength} bytes, shorter than the 8-byte header length");
        ulong n = BitConverter.ToUInt64(first8[..8]);
        if (n > (ulong)(fileLength - 8))
            throw new CheckpointFormatException(file, null, $"header length {n} runs past the end of the file ({fileLength} bytes)");
        if (n > MaxHeaderBytes)
            throw new CheckpointFormatException(file, null, $"header length {n} exceeds the {MaxHeaderBytes}-byte limit");
        if (n < 2)
            throw new CheckpointFormatException(file, null, $"header length {n} is too short to hold a JSON object");
        return (long)n;
    }

    /// <summary>
    /// Parses the JSON header and validates every entry against the data section's length
    /// (<paramref name="dataLength"/> = file length - 8 - header length).
    /// </summary>
    public static IReadOnlyDictionary<string, TensorInfo> Parse(ReadOnlySpan<byte> json, long dataLength, string file)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw new CheckpointFormatException(file, null, $"invalid header JSON: {e.Message}", e); }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException(file, null, "header JSON is not an object");
            var tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
            try
            {
                foreach (var prop in doc.RootElement.EnumerateObject())
                {
                    if (prop.Name == "__metadata__") continue;
                    if (tensors.ContainsKey(prop.Name)) throw new CheckpointFormatException(file, prop.Name, "tensor declared twice in the header");
                    tensors[prop.Name] = ParseEntry(prop.Name, prop.Value, dataLength, file);
                }
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json validates UTF-8 lazily, when a name or string is first read.
                throw new CheckpointFormatException(file, null, $"header JSON is not valid UTF-8: {e.Message}", e);
            }
            CheckNoOverlap(tensors.Values, file);
            return tensors;
        }
    }

    private static TensorInfo ParseEntry(string name, JsonElement e, long dataLength, string file)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(file, name, "header entry is not an object");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new CheckpointFormatException(file, name, "missing or non-string 'dtype'");
        string dtype = dt.GetString()!;
        if (!ElementSizes.TryGetValue(dtype, out int size))
            throw new CheckpointFormatException(file, name, $"unknown dtype '{dtype}' (supported: {string.Join(", ", ElementSizes.Keys)})");
        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw new CheckpointFormatException(file, name, "missing or non-array 'shape'");
        var shape = new long[sh.GetArrayLength()];
        long count = 1;
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v) || v < 0)
                throw new CheckpointFormatException(file, name, $"shape[{i}] is not a non-negative integer");
            shape[i++] = v;
            count = v == 0 ? 0 : (count > long.MaxValue / v ? throw new CheckpointFormatException(file, name, "shape overflows") : count * v);
        }
        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new CheckpointFormatException(file, name, "missing 'data_offsets' [begin, end]");
        if (!off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw new CheckpointFormatException(file, name, "data_offsets are not 0 <= begin <= end integers");
        if (end > dataLength)
            throw new CheckpointFormatException(file, name, $"data_offsets [{begin}, {end}] run past the data section ({dataLength} bytes)");
        if (count > long.MaxValue / size || end - begin != count * size)
            throw new CheckpointFormatException(file, name, $"data_offsets span {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {count * size}");
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void CheckNoOverlap(IEnumerable<TensorInfo> tensors, string file)
    {
        TensorInfo? previous = null;
        foreach (var t in tensors.Where(t => t.DataEnd > t.DataStart).OrderBy(t => t.DataStart))
        {
            if (previous is not null && t.DataStart < previous.DataEnd)
                throw new CheckpointFormatException(file, t.Name, $"data overlaps tensor '{previous.Name}'");
            previous = t;
        }
    }
}
