using System.Security.Cryptography;
using System.Text;

namespace Debug.Core.Experiments.Sharding;

/// <summary>
/// A checkpoint's identity for run.json: SHA-256 over the names and bytes of the files that decide its outputs
/// (<c>*.json</c> such as config.json and tokenizer.json, <c>*.safetensors</c>, <c>*.model</c>, <c>*.txt</c> vocabularies),
/// in ordinal name order. Shards that loaded different weights under the same name (a re-downloaded or retrained
/// checkpoint) then have different hashes and are not merged. Symbolic links, as in the HF cache, are followed.
/// </summary>
public static class CheckpointHash
{
    private static readonly string[] Patterns = ["*.json", "*.safetensors", "*.model", "*.txt"];

    /// <summary>The lowercase hex hash of the checkpoint in <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static string Of(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Checkpoint folder '{folder}' does not exist.");
        var files = Patterns.SelectMany(p => Directory.EnumerateFiles(folder, p, SearchOption.TopDirectoryOnly))
            .Distinct(StringComparer.Ordinal)
            .Select(f => (Name: Path.GetFileName(f), Path: f))
            // The results of a run never belong to the checkpoint (models/tiny keeps eval.json beside its weights).
            .Where(f => f.Name is not ("eval.json" or "training_log.csv"))
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        foreach (var (name, path) in files)
        {
            using var stream = File.OpenRead(path);
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}\n{stream.Length}\n"));
            int read;
            while ((read = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// run.json settings <c>checkpoint &lt;model&gt;</c> = hash for each model spec, so that <c>debug merge</c> refuses shards that
    /// loaded different weights; a model that is not on this machine is recorded as <c>not found</c>, an endpoint model
    /// (which has no weights here) as its address and served model name (<c>endpoint URL model NAME</c>; never a key).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Settings(IEnumerable<string> modelSpecs)
    {
        ArgumentNullException.ThrowIfNull(modelSpecs);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in modelSpecs.Select(ModelReference.Parse))
        {
            string value;
            if (reference.Endpoint is { } endpoint)
            {
                settings["checkpoint " + reference.DisplayName] = $"endpoint {endpoint.BaseAddress} model {endpoint.ServedModel}";
                continue;
            }
            try
            {
                value = Of(reference.ResolveFolder());
            }
            catch (Exception e) when (e is IOException or Model.Loading.ModelNotFoundException or UnauthorizedAccessException)
            {
                value = "not found";
            }
            settings["checkpoint " + reference.DisplayName] = value;
        }
        return settings;
    }
}
