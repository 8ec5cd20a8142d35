using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Debug.Core.Experiments;

/// <summary>
/// Which checkpoint and which code produced a result: written with every run (<see cref="FileName"/>), so a result
/// can be tied to exact weights even when a model name such as <c>Qwen/Qwen3-0.6B</c> later points at other files.
/// </summary>
/// <param name="Model">Display name.</param>
/// <param name="Spec">The model as it was named.</param>
/// <param name="Folder">The checkpoint folder it was read from.</param>
/// <param name="HubRepository">The HF repository (<c>Org/Name</c>) when the folder is a snapshot of the HF cache.</param>
/// <param name="HubSnapshot">The snapshot's commit hash (its folder name under <c>snapshots/</c>), or null.</param>
/// <param name="WeightsSha256">SHA-256 over the weight files' names and hashes (see <see cref="WeightFiles"/>).</param>
/// <param name="WeightFiles">Each <c>*.safetensors</c> file of the folder, by name, with its size and SHA-256.</param>
/// <param name="Dtype">The dtype the weights were held in.</param>
/// <param name="Parameters">Parameter count (tied weights once).</param>
/// <param name="DebugVersion">Debug's version.</param>
/// <param name="DebugCommit">The git commit Debug was built from (committed changes only), or null when unknown.</param>
public sealed record ModelProvenance(string Model, string Spec, string Folder, string? HubRepository, string? HubSnapshot,
    string WeightsSha256, IReadOnlyList<WeightFileHash> WeightFiles, string Dtype, long Parameters, string DebugVersion, string? DebugCommit)
{
    /// <summary>The file name of a run's provenance record.</summary>
    public const string FileName = "provenance.json";

    /// <summary>Describes a loaded model, hashing its weight files through <paramref name="hashes"/>.</summary>
    public static ModelProvenance Of(LoadedModel model, WeightHashCache hashes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hashes);
        var files = Directory.GetFiles(model.Folder, "*.safetensors").Order(StringComparer.Ordinal)
            .Select(f => new WeightFileHash(Path.GetFileName(f), new FileInfo(f).ResolveLinkTarget(true) is FileInfo t ? t.Length : new FileInfo(f).Length, hashes.Sha256(f)))
            .ToList();
        string combined = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(files.Select(f => $"{f.Name}:{f.Sha256}\n")))));
        var (repo, snapshot) = HubSnapshotOf(model.Folder);
        var (version, commit) = DebugBuild();
        return new ModelProvenance(model.Reference.DisplayName, model.Reference.Spec, model.Folder, repo, snapshot, combined, files,
            model.Model.ComputeDtype.ToString(), model.ParameterCount, version, commit);
    }

    /// <summary>
    /// The HF repository and snapshot hash of a folder of the hub cache (<c>…/models--Org--Name/snapshots/&lt;hash&gt;</c>),
    /// or nulls for any other folder.
    /// </summary>
    public static (string? Repository, string? Snapshot) HubSnapshotOf(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var dir = new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        if (dir.Parent is not { Name: "snapshots" } snapshots || snapshots.Parent is not { } repo || !repo.Name.StartsWith("models--", StringComparison.Ordinal))
            return (null, null);
        return (repo.Name["models--".Length..].Replace("--", "/", StringComparison.Ordinal), dir.Name);
    }

    /// <summary>Debug's version and commit, from Debug.Core's informational version (<c>1.0.0+&lt;commit&gt;</c>).</summary>
    public static (string Version, string? Commit) DebugBuild()
    {
        string info = typeof(ModelProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        int plus = info.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (info, null) : (info[..plus], info[(plus + 1)..]);
    }

    /// <summary>The record as JSON (snake_case names, like every result file).</summary>
    public JsonObject ToJson() => new()
    {
        ["model"] = Model,
        ["spec"] = Spec,
        ["folder"] = Folder,
        ["hub_repository"] = HubRepository,
        ["hub_snapshot"] = HubSnapshot,
        ["weights_sha256"] = WeightsSha256,
        ["weight_files"] = new JsonArray([.. WeightFiles.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["bytes"] = f.Bytes, ["sha256"] = f.Sha256 })]),
        ["dtype"] = Dtype,
        ["parameters"] = Parameters,
        ["debug_version"] = DebugVersion,
        ["debug_commit"] = DebugCommit,
    };
}

/// <summary>One weight file of a checkpoint.</summary>
/// <param name="Name">File name in the checkpoint folder.</param>
/// <param name="Bytes">Size.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the content.</param>
public sealed record WeightFileHash(string Name, long Bytes, string Sha256);
