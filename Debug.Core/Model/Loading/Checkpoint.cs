using System.Text.Json;
using static TorchSharp.torch;

namespace Debug.Core.Model.Loading;

/// <summary>
/// A HuggingFace checkpoint folder: config.json plus one <c>model.safetensors</c> or shards listed in
/// <c>model.safetensors.index.json</c>. Files are opened read-only; tensors are read by their HF names.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, SafetensorsFile> _owner;

    private Checkpoint(string folder, ModelConfig config, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> owner)
    {
        Folder = folder;
        Config = config;
        _files = files;
        _owner = owner;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>The parsed config.json.</summary>
    public ModelConfig Config { get; }

    /// <summary>Every tensor name across all shards.</summary>
    public IReadOnlyCollection<string> TensorNames => _owner.Keys;

    /// <summary>Header information of one tensor.</summary>
    public TensorInfo GetInfo(string name) =>
        _owner.TryGetValue(name, out var f) ? f.Tensors[name] : throw new CheckpointFormatException(Folder, name, "missing tensor");

    /// <summary>True when the checkpoint holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => _owner.ContainsKey(name);

    /// <summary>Reads tensor <paramref name="name"/> converted to <paramref name="dtype"/>; the caller owns the result.</summary>
    public Tensor Load(string name, ScalarType dtype) =>
        _owner.TryGetValue(name, out var f) ? f.Load(name, dtype) : throw new CheckpointFormatException(Folder, name, "missing tensor");

    /// <summary>Opens a checkpoint folder (or a HuggingFace id resolved in the local cache, see <see cref="ModelLocator"/>).</summary>
    public static Checkpoint Open(string folderOrId)
    {
        string folder = ModelLocator.Resolve(folderOrId);
        var config = ModelConfig.Load(Path.Combine(folder, "config.json"));
        var files = new List<SafetensorsFile>();
        var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (string shard in ShardPaths(folder))
            {
                var file = SafetensorsFile.Open(shard);
                files.Add(file);
                foreach (var name in file.Tensors.Keys)
                {
                    if (owner.TryGetValue(name, out var other))
                        throw new CheckpointFormatException(shard, name, $"tensor also appears in {Path.GetFileName(other.Path)}");
                    owner[name] = file;
                }
            }
            CheckIndexAgreesWithShards(folder, owner);
            return new Checkpoint(folder, config, files, owner);
        }
        catch
        {
            foreach (var f in files) f.Dispose();
            throw;
        }
    }

    private static IEnumerable<string> ShardPaths(string folder)
    {
        string single = Path.Combine(folder, "model.safetensors");
        string index = Path.Combine(folder, "model.safetensors.index.json");
        if (File.Exists(single)) return [single];
        if (File.Exists(index)) return ReadIndex(index).Values.Distinct().OrderBy(s => s, StringComparer.Ordinal).Select(s => Path.Combine(folder, s));
        var pickles = Directory.EnumerateFiles(folder).Where(PickleGuard.IsPickle).ToList();
        if (pickles.Count > 0) PickleGuard.ThrowIfPickle(pickles[0]);
        throw new CheckpointFormatException(folder, null, "no model.safetensors or model.safetensors.index.json in the folder");
    }

    /// <summary>Reads weight_map (tensor name → shard file name) from a sharded checkpoint's index.</summary>
    private static Dictionary<string, string> ReadIndex(string indexPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException(indexPath, "weight_map", "missing or not an object");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in map.EnumerateObject())
            {
                string shard = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new CheckpointFormatException(indexPath, $"weight_map.{p.Name}", "expected a file name");
                if (shard.Contains('/') || shard.Contains('\\') || shard.Contains(".."))
                    throw new CheckpointFormatException(indexPath, $"weight_map.{p.Name}", $"shard '{shard}' must be a file in the checkpoint folder");
                PickleGuard.ThrowIfPickle(shard);
                result[p.Name] = shard;
            }
            return result;
        }
        catch (JsonException e) { throw new CheckpointFormatException(indexPath, null, $"invalid JSON: {e.Message}", e); }
    }

    private static void CheckIndexAgreesWithShards(string folder, Dictionary<string, SafetensorsFile> owner)
    {
        string index = Path.Combine(folder, "model.safetensors.index.json");
        if (File.Exists(Path.Combine(folder, "model.safetensors")) || !File.Exists(index)) return;
        foreach (var (name, shard) in ReadIndex(index))
        {
            if (!owner.TryGetValue(name, out var file))
                throw new CheckpointFormatException(index, name, $"listed in weight_map under {shard} but not found in that shard");
            if (Path.GetFileName(file.Path) != shard)
                throw new CheckpointFormatException(index, name, $"weight_map says {shard} but the tensor is in {Path.GetFileName(file.Path)}");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
        _files.Clear();
    }
}
