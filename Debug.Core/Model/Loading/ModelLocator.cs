namespace Debug.Core.Model.Loading;

/// <summary>
/// Turns what a researcher types (a folder, or a HuggingFace id such as <c>Qwen/Qwen3-0.6B</c>) into a checkpoint
/// folder. Ids are looked up in the local HF cache only (nothing is downloaded): <c>HF_HUB_CACHE</c>, else
/// <c>HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>, at <c>models--Org--Name/snapshots/&lt;rev&gt;</c> with
/// the revision read from <c>refs/main</c>.
/// </summary>
public static class ModelLocator
{
    /// <summary>The hub cache directory the environment points at.</summary>
    public static string HubCacheDirectory()
    {
        string? hub = Environment.GetEnvironmentVariable("HF_HUB_CACHE");
        if (!string.IsNullOrEmpty(hub)) return hub;
        string? home = Environment.GetEnvironmentVariable("HF_HOME");
        if (!string.IsNullOrEmpty(home)) return Path.Combine(home, "hub");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "huggingface", "hub");
    }

    /// <summary>Resolves <paramref name="folderOrId"/> to an existing folder or throws <see cref="ModelNotFoundException"/>.</summary>
    public static string Resolve(string folderOrId) => Resolve(folderOrId, HubCacheDirectory());

    /// <summary>Resolves <paramref name="folderOrId"/> against an explicit hub cache directory.</summary>
    public static string Resolve(string folderOrId, string hubCacheDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folderOrId);
        PickleGuard.ThrowIfPickle(folderOrId);
        if (Directory.Exists(folderOrId)) return Path.GetFullPath(folderOrId);

        var looked = new List<string> { Path.GetFullPath(folderOrId) };
        if (LooksLikeHubId(folderOrId))
        {
            string repo = Path.Combine(hubCacheDirectory, "models--" + folderOrId.Replace("/", "--"));
            string? snapshot = SnapshotOf(repo);
            if (snapshot is not null) return snapshot;
            looked.Add(repo);
            throw new ModelNotFoundException(folderOrId,
                $"Model '{folderOrId}' is not on disk. Looked in: {string.Join("; ", looked)}. " +
                $"Download it with `huggingface-cli download {folderOrId}` (or set HF_HUB_CACHE / HF_HOME), or pass a checkpoint folder.");
        }
        throw new ModelNotFoundException(folderOrId,
            $"Model folder '{folderOrId}' does not exist (looked at {looked[0]}). Pass a folder with config.json and *.safetensors, " +
            "or a HuggingFace id like Org/Name that is in the local HF cache.");
    }

    private static bool LooksLikeHubId(string s) =>
        s.Count(ch => ch == '/') == 1 && !s.StartsWith('/') && !s.StartsWith('.') && !s.EndsWith('/') && !s.Contains('\\');

    private static string? SnapshotOf(string repoDir)
    {
        string snapshots = Path.Combine(repoDir, "snapshots");
        if (!Directory.Exists(snapshots)) return null;
        string refMain = Path.Combine(repoDir, "refs", "main");
        if (File.Exists(refMain))
        {
            string rev = File.ReadAllText(refMain).Trim();
            string dir = Path.Combine(snapshots, rev);
            if (rev.Length > 0 && Directory.Exists(dir)) return dir;
        }
        // Without refs/main (e.g. a cache filled by snapshot_download of a fixed revision) a single snapshot is unambiguous.
        var all = Directory.GetDirectories(snapshots);
        return all.Length == 1 ? all[0] : null;
    }
}
