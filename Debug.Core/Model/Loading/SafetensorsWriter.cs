using System.Text;
using Debug.Core.Serialization;
using static TorchSharp.torch;

namespace Debug.Core.Model.Loading;

/// <summary>
/// Writes tensors as a safetensors file, atomically (temp file in the same folder, then rename), so a reader never
/// sees a half-written checkpoint. Used for the embedded model, benchmark checkpoints and test files.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (name → tensor) to <paramref name="path"/> in their own dtypes.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object?>();
        if (metadata is not null) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, t) in ordered)
        {
            long bytes = t.NumberOfElements * t.ElementSize;
            header[name] = new Dictionary<string, object?> { ["dtype"] = DtypeName(t.dtype, name), ["shape"] = t.shape, ["data_offsets"] = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        byte[] json = Encoding.UTF8.GetBytes(DebugJson.SerializeCompact(header));
        // Pad the header with spaces to an 8-byte boundary, as the reference writer does, so data stays aligned.
        int padded = (json.Length + 7) / 8 * 8;

        string tmp = path + ".tmp-" + Environment.ProcessId;
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            fs.Write(BitConverter.GetBytes((ulong)padded));
            fs.Write(json);
            for (int i = json.Length; i < padded; i++) fs.WriteByte((byte)' ');
            foreach (var (_, t) in ordered)
            {
                using var c = t.contiguous().cpu();
                fs.Write(c.bytes);
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static string DtypeName(ScalarType t, string name) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float16 => "F16",
        ScalarType.Int64 => "I64",
        _ => throw new ArgumentException($"tensor '{name}' has dtype {t}, which safetensors output does not support here", nameof(name)),
    };
}
