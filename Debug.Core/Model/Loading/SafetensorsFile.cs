using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Model.Loading;

/// <summary>
/// One safetensors file, opened read-only. The header is validated on open; tensor data is read straight into the
/// new tensor's memory on <see cref="Load"/> (positional reads, no memory map, so the file's pages are not counted
/// against the process on top of the weights), and nothing is ever written to the file.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly long _dataOffset;

    private SafetensorsFile(string path, SafeFileHandle handle, long dataOffset, IReadOnlyDictionary<string, TensorInfo> tensors)
    {
        Path = path;
        _handle = handle;
        _dataOffset = dataOffset;
        Tensors = tensors;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The tensors the header declares, by name.</summary>
    public IReadOnlyDictionary<string, TensorInfo> Tensors { get; }

    /// <summary>Opens and validates <paramref name="path"/>. Throws <see cref="CheckpointFormatException"/> on a bad file.</summary>
    public static SafetensorsFile Open(string path)
    {
        PickleGuard.ThrowIfPickle(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long length = RandomAccess.GetLength(handle);
            Span<byte> first8 = stackalloc byte[8];
            int got = ReadFully(handle, first8, 0);
            long headerLength = SafetensorsHeader.ReadHeaderLength(first8[..got], length, path);
            var header = new byte[headerLength];
            ReadFully(handle, header, 8);
            var tensors = SafetensorsHeader.Parse(header, length - 8 - headerLength, path);
            return new SafetensorsFile(path, handle, 8 + headerLength, tensors);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Copies tensor <paramref name="name"/> into a new tensor of <paramref name="dtype"/> that the caller owns.</summary>
    public Tensor Load(string name, ScalarType dtype)
    {
        if (!Tensors.TryGetValue(name, out var info))
            throw new CheckpointFormatException(Path, name, "no such tensor in this file");
        var stored = ToScalarType(info.Dtype);
        long bytes = info.DataEnd - info.DataStart;
        if (bytes > int.MaxValue)
            throw new CheckpointFormatException(Path, name, $"tensor of {bytes} bytes exceeds the 2 GiB per-tensor limit of this reader");
        var raw = empty(info.Shape, stored, device: CPU); // filled from the file, then moved to the model's device
        // TorchSharp's bytes span is the tensor's own storage, so the file is read straight into it.
        if (bytes > 0 && ReadFully(_handle, raw.bytes, _dataOffset + info.DataStart) != bytes)
        {
            raw.Dispose();
            throw new CheckpointFormatException(Path, name, "file ended while reading the tensor's data");
        }
        if (stored == dtype) return raw;
        using (raw) return raw.to(dtype);
    }

    private static int ReadFully(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Maps a safetensors dtype string to TorchSharp's scalar type.</summary>
    public static ScalarType ToScalarType(string dtype) => dtype switch
    {
        "F32" => ScalarType.Float32,
        "BF16" => ScalarType.BFloat16,
        "F16" => ScalarType.Float16,
        "I64" => ScalarType.Int64,
        _ => throw new ArgumentException($"unsupported safetensors dtype '{dtype}'", nameof(dtype)),
    };

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
