using System.IO.MemoryMappedFiles;
using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Model.Loading;

/// <summary>
/// One safetensors file, opened read-only and memory-mapped. The header is validated on open; tensor data is
/// copied out on <see cref="Load"/>, so nothing is ever written to the file and the OS page cache does the I/O.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _dataOffset;

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long dataOffset,
        IReadOnlyDictionary<string, TensorInfo> tensors)
    {
        Path = path;
        _map = map;
        _view = view;
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
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = stream.Length;
        try
        {
            Span<byte> first8 = stackalloc byte[8];
            int got = stream.ReadAtLeast(first8, 8, throwOnEndOfStream: false);
            long headerLength = SafetensorsHeader.ReadHeaderLength(first8[..got], length, path);
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            var tensors = SafetensorsHeader.Parse(header, length - 8 - headerLength, path);
            var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new SafetensorsFile(path, map, view, 8 + headerLength, tensors);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Copies tensor <paramref name="name"/> into a new tensor of <paramref name="dtype"/> that the caller owns.</summary>
    public unsafe Tensor Load(string name, ScalarType dtype)
    {
        if (!Tensors.TryGetValue(name, out var info))
            throw new CheckpointFormatException(Path, name, "no such tensor in this file");
        var stored = ToScalarType(info.Dtype);
        long bytes = info.DataEnd - info.DataStart;
        if (bytes > int.MaxValue)
            throw new CheckpointFormatException(Path, name, $"tensor of {bytes} bytes exceeds the 2 GiB per-tensor limit of this reader");
        var raw = empty(info.Shape, stored);
        if (bytes > 0)
        {
            byte* basePtr = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePtr);
            try
            {
                raw.bytes = new Span<byte>(basePtr + _view.PointerOffset + _dataOffset + info.DataStart, (int)bytes);
            }
            finally
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        if (stored == dtype) return raw;
        using (raw) return raw.to(dtype);
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
    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
    }
}
