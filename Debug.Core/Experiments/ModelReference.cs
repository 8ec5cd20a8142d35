using Debug.Core.Experiments.Endpoints;
using Debug.Core.Model.Loading;

namespace Debug.Core.Experiments;

/// <summary>
/// A model as a researcher names it: <c>tiny</c> or <c>tracker</c> (the embedded models in <c>models/</c>), a HuggingFace id
/// (<c>Qwen/Qwen3-0.6B</c>, looked up in the local HF cache) or a checkpoint folder. Knows its short display name
/// (used in test names, thresholds and result files) and where its files are. An <c>openai:</c> or <c>endpoint:</c>
/// reference (<see cref="EndpointReference"/>) names a model behind an OpenAI-compatible API instead.
/// </summary>
public sealed record ModelReference
{
    /// <summary>The embedded model's display name.</summary>
    public const string EmbeddedName = "tiny";

    /// <summary>The embedded model's folder, relative to the repository root.</summary>
    public const string EmbeddedRelativePath = "models/tiny";

    /// <summary>
    /// The second embedded model's display name: trained on every accuracy family of the Python framework except
    /// variable binding (models/tracker/README.md).
    /// </summary>
    public const string TrackerName = "tracker";

    /// <summary>Every model shipped in the repository's <c>models/</c> folder, by display name; the suite runs them all by default.</summary>
    public static IReadOnlyList<string> EmbeddedNames { get; } = [EmbeddedName, TrackerName];

    private ModelReference(string spec, string displayName, bool isEmbedded, EndpointReference? endpoint = null)
    {
        Spec = spec;
        DisplayName = displayName;
        IsEmbedded = isEmbedded;
        Endpoint = endpoint;
    }

    /// <summary>The endpoint, for <c>openai:</c> / <c>endpoint:</c> references; null for checkpoints.</summary>
    public EndpointReference? Endpoint { get; }

    /// <summary>Whether the model runs behind an API (no weights, no activations here).</summary>
    public bool IsEndpoint => Endpoint is not null;

    /// <summary>What was typed.</summary>
    public string Spec { get; }

    /// <summary>
    /// Short name: <c>tiny</c>, the HF id as given, or the folder's own name for other paths (so thresholds do
    /// not depend on where a checkpoint sits on disk).
    /// </summary>
    public string DisplayName { get; }

    /// <summary>Whether this is one of the embedded models (<see cref="EmbeddedNames"/>).</summary>
    public bool IsEmbedded { get; }

    /// <summary>Whether this is <c>tiny</c>, the embedded model trained on variable binding (the tracing experiments' subject).</summary>
    public bool IsEmbeddedBindingModel => IsEmbedded && DisplayName == EmbeddedName;

    /// <summary>Parses a model spec.</summary>
    /// <exception cref="ArgumentException"><paramref name="spec"/> is blank.</exception>
    public static ModelReference Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        spec = spec.Trim();
        if (EndpointReference.IsEndpointSpec(spec))
        {
            var endpoint = EndpointReference.Parse(spec);
            return new ModelReference(spec, endpoint.DisplayName, isEmbedded: false, endpoint);
        }
        string normalized = spec.Replace('\\', '/').TrimEnd('/');
        foreach (string name in EmbeddedNames)
            if (normalized == name || normalized == "models/" + name || normalized == "./models/" + name)
                return new ModelReference(spec, name, isEmbedded: true);
        bool isPath = normalized.StartsWith('/') || normalized.StartsWith('.') || normalized.StartsWith('~')
            || normalized.Count(c => c == '/') != 1 || Directory.Exists(spec);
        string display = isPath ? Path.GetFileName(normalized) : normalized;
        return new ModelReference(spec, display.Length == 0 ? normalized : display, isEmbedded: false);
    }

    /// <summary>
    /// <paramref name="spec"/> with a relative folder made absolute against <paramref name="baseDirectory"/> (the
    /// directory the command ran from), so that it means what it means in the user's shell whatever the process's
    /// working directory. The embedded model's names, absolute and <c>~</c> paths are kept. A relative spec that names an
    /// existing folder there becomes that folder, even when it also looks like a HuggingFace id (<c>org/name</c>); one
    /// that looks like an id and is no folder there stays an id (looked up in the HF cache); any other relative spec
    /// becomes absolute, so a missing folder's error names where it was looked for.
    /// </summary>
    public static string Absolute(string spec, string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);
        spec = spec.Trim();
        if (Parse(spec).IsEmbedded || spec.StartsWith('~') || Path.IsPathRooted(spec)) return spec;
        string candidate = Path.GetFullPath(spec, baseDirectory);
        if (Directory.Exists(candidate)) return candidate;
        string normalized = spec.Replace('\\', '/');
        bool hubId = normalized.Count(c => c == '/') == 1 && !normalized.StartsWith('.') && !normalized.EndsWith('/');
        return hubId ? spec : candidate;
    }

    /// <summary>
    /// The checkpoint folder. The embedded model resolves against the repository root; everything else goes
    /// through <see cref="ModelLocator"/> (folders, then the local HF cache).
    /// </summary>
    /// <exception cref="ModelNotFoundException">The model is not on disk; the message says how to get it.</exception>
    /// <exception cref="InvalidOperationException">The model is an endpoint: it has no folder.</exception>
    public string ResolveFolder()
    {
        if (Endpoint is not null)
            throw new InvalidOperationException($"{DisplayName} is served by {Endpoint.BaseAddress}: it has no checkpoint folder or weights here.");
        if (!IsEmbedded) return ModelLocator.Resolve(Spec.StartsWith('~') ? ExpandHome(Spec) : Spec);
        string? root = RepositoryPaths.FindRoot();
        string folder = Path.Combine(root ?? Directory.GetCurrentDirectory(), "models", DisplayName);
        if (File.Exists(Path.Combine(folder, "config.json"))) return folder;
        throw new ModelNotFoundException(Spec,
            $"The embedded model '{DisplayName}' is not in this checkout: expected config.json in {folder}. It is committed to the " +
            $"repository's main branch under models/{DisplayName} (git pull / git merge main), or pick other models with " +
            "-p:DebugModels=... or DEBUG_MODELS=....");
    }

    private static string ExpandHome(string path) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'));

    /// <inheritdoc />
    public override string ToString() => DisplayName;
}
