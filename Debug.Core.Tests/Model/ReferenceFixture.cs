using System.Collections.Concurrent;
using System.Text.Json;
using Debug.Core.Model;

namespace Debug.Core.Tests.Model;

/// <summary>
/// One folder in the hf-reference format (model/, reference.safetensors, reference.json), with its model and
/// reference tensors loaded once and shared by every conformance case of that folder.
/// </summary>
internal sealed class ReferenceFixture
{
    private static readonly ConcurrentDictionary<string, Lazy<ReferenceFixture>> Loaded = new();

    public required string Name { get; init; }
    public required string Folder { get; init; }
    public required JsonElement Json { get; init; }

    private readonly Lazy<ReferenceFile> _reference;
    private readonly Lazy<CausalLanguageModel> _model;

    private ReferenceFixture(string folder)
    {
        _reference = new(() => ReferenceFile.Read(Path.Combine(folder, "reference.safetensors")));
        _model = new(() => CausalLanguageModel.Load(Path.Combine(folder, "model")));
    }

    public ReferenceFile Reference => _reference.Value;
    public CausalLanguageModel Model => _model.Value;

    public int T => Json.GetProperty("T").GetInt32();
    public int Layers => Json.GetProperty("n_layers").GetInt32();
    public int Heads => Json.GetProperty("n_heads").GetInt32();
    public int HeadDim => Json.GetProperty("head_dim").GetInt32();

    /// <summary>Results computed once per fixture (e.g. one hooked forward serving every activation case).</summary>
    public ConcurrentDictionary<string, Lazy<object>> Memo { get; } = new();

    public T2 Once<T2>(string key, Func<T2> compute) where T2 : class =>
        (T2)Memo.GetOrAdd(key, _ => new Lazy<object>(() => compute())).Value;

    public static ReferenceFixture Get(string folder) =>
        Loaded.GetOrAdd(Path.GetFullPath(folder), f => new Lazy<ReferenceFixture>(() => new ReferenceFixture(f)
        {
            Name = DisplayName(f),
            Folder = f,
            Json = JsonDocument.Parse(File.ReadAllText(Path.Combine(f, "reference.json"))).RootElement.Clone(),
        })).Value;

    /// <summary>The built-in fixtures plus every folder under the directories in DEBUG_REFERENCE_FIXTURES.</summary>
    public static IEnumerable<string> AllFolders()
    {
        var roots = new List<string> { Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-reference") };
        var extra = Environment.GetEnvironmentVariable("DEBUG_REFERENCE_FIXTURES");
        if (!string.IsNullOrWhiteSpace(extra))
            roots.AddRange(extra.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var root in roots.Where(Directory.Exists))
        {
            if (File.Exists(Path.Combine(root, "reference.json"))) yield return Path.GetFullPath(root);
            foreach (var d in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
                if (File.Exists(Path.Combine(d, "reference.json"))) yield return Path.GetFullPath(d);
        }
    }

    /// <summary>Built-in fixtures are named by folder; external ones get a marker so names never collide.</summary>
    public static string DisplayName(string folder)
    {
        var builtIn = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-reference"));
        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        return Path.GetDirectoryName(folder) == builtIn ? name : $"{name} @ {Path.GetDirectoryName(folder)}";
    }
}
