using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Model;

/// <summary>Reads a whole safetensors file of reference tensors (small fixtures only) into CPU tensors.</summary>
internal sealed class ReferenceFile
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public Tensor this[string name] => _tensors[name];

    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>Tensor names in the header, without reading the data (used at test discovery).</summary>
    public static IReadOnlyList<string> ReadNames(string path)
    {
        using var fs = File.OpenRead(path);
        var (header, _) = ReadHeader(fs);
        return header.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToList();
    }

    public static ReferenceFile Read(string path)
    {
        TorchRuntime.EnsureLoaded();
        var bytes = File.ReadAllBytes(path);
        using var ms = new MemoryStream(bytes);
        var (header, dataStart) = ReadHeader(ms);
        var file = new ReferenceFile();
        foreach (var p in header.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__") continue;
            var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            var shape = p.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            var dtype = p.Value.GetProperty("dtype").GetString() switch
            {
                "F32" => ScalarType.Float32,
                "I64" => ScalarType.Int64,
                "BF16" => ScalarType.BFloat16,
                var d => throw new InvalidDataException($"{path}: dtype {d} of {p.Name}"),
            };
            var t = empty(shape, dtype);
            bytes.AsSpan((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0])).CopyTo(t.bytes);
            file._tensors[p.Name] = t.DetachFromDisposeScope();
        }
        header.Dispose();
        return file;
    }

    private static (JsonDocument Header, long DataStart) ReadHeader(Stream s)
    {
        var len = new byte[8];
        s.ReadExactly(len);
        long n = BitConverter.ToInt64(len);
        var json = new byte[n];
        s.ReadExactly(json);
        return (JsonDocument.Parse(json), 8 + n);
    }
}
