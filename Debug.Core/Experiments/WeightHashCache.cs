using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Debug.Core.Reports;
using Debug.Core.Serialization;

namespace Debug.Core.Experiments;

/// <summary>
/// SHA-256 of weight files, computed once per file version: a file is hashed again only when its size or modification
/// time changes. The cache is a JSON file outside every checkpoint (checkpoints are never written to):
/// <c>DEBUG_CACHE</c>, else <c>$XDG_CACHE_HOME/debug</c>, else <c>~/.cache/debug</c>, file
/// <see cref="FileName"/>, written atomically. HuggingFace snapshots hold symlinks to blobs; the blob is what is hashed
/// and keyed. Thread-safe within a process; two processes at once at worst both hash a file.
/// </summary>
public sealed class WeightHashCache
{
    /// <summary>Environment variable that moves the cache folder.</summary>
    public const string CacheVariable = "DEBUG_CACHE";

    /// <summary>The cache file's name in its folder.</summary>
    public const string FileName = "weight-sha256.json";

    private readonly Lock _gate = new();

    /// <summary>A cache in <paramref name="folder"/> (default <see cref="DefaultFolder"/>).</summary>
    public WeightHashCache(string? folder = null) => Path = System.IO.Path.Combine(folder ?? DefaultFolder(), FileName);

    /// <summary>The cache file.</summary>
    public string Path { get; }

    /// <summary>Files hashed (not served from the cache) by this instance, for tests and logs.</summary>
    public int Computed { get; private set; }

    /// <summary>The cache folder the environment points at.</summary>
    public static string DefaultFolder()
    {
        string? own = Environment.GetEnvironmentVariable(CacheVariable);
        if (!string.IsNullOrWhiteSpace(own)) return own;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrWhiteSpace(xdg) ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return System.IO.Path.Combine(root, "debug");
    }

    /// <summary>The lowercase hex SHA-256 of <paramref name="file"/>'s content (of its final target, for a symlink).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public string Sha256(string file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        var info = new FileInfo(file);
        if (info.LinkTarget is not null) info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        if (!info.Exists) throw new FileNotFoundException($"Weight file {file} does not exist.", file);
        string key = info.FullName;
        long size = info.Length, mtime = info.LastWriteTimeUtc.Ticks;
        lock (_gate)
        {
            var entries = Read();
            if (entries[key] is JsonObject e && (long?)e["size"] == size && (long?)e["mtime_ticks"] == mtime && (string?)e["sha256"] is { Length: 64 } cached)
                return cached;
            string hash;
            using (var stream = new FileStream(key, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
                hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            Computed++;
            entries[key] = new JsonObject { ["size"] = size, ["mtime_ticks"] = mtime, ["sha256"] = hash };
            // Forget files that are gone (temporary checkpoints), so the cache does not grow without bound.
            foreach (string gone in entries.Select(kv => kv.Key).Where(k => !File.Exists(k)).ToList()) entries.Remove(gone);
            AtomicFile.WriteAllText(Path, entries.ToJsonString(DebugJson.Options));
            return hash;
        }
    }

    // A missing or unreadable cache is an empty one: it only saves time.
    private JsonObject Read()
    {
        try
        {
            return File.Exists(Path) && JsonNode.Parse(File.ReadAllText(Path)) is JsonObject o ? o : [];
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Path} ({Computed} hashed)");
}
