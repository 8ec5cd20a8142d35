using System.Globalization;
using System.Text.RegularExpressions;

namespace Debug.Core.Experiments.Sharding;

/// <summary>
/// Expected cost of rows, for balancing shards: cases × prompt length × model size. Every input must be the same on
/// every machine (the shards compute the assignment independently), so the model size comes from the model's name,
/// not from its files, which one machine may have and another not yet.
/// </summary>
public static partial class ShardCost
{
    /// <summary>Parameters assumed for a model whose name states no size (a 1B-parameter model).</summary>
    public const double UnknownModelParameters = 1e9;

    /// <summary>The embedded model's parameter count (models/tiny/README.md).</summary>
    public const double EmbeddedModelParameters = 337e3;

    /// <summary>Parameters of the second embedded model (models/tracker).</summary>
    public const double TrackerModelParameters = 1.35e6;

    /// <summary>
    /// A model's parameter count as its name states it: <c>tiny</c> is the embedded model; otherwise the last
    /// <c>&lt;number&gt;B</c> / <c>&lt;number&gt;M</c> in the name (<c>Qwen/Qwen3-0.6B</c> → 0.6e9,
    /// <c>SmolLM2-135M</c> → 135e6); else <see cref="UnknownModelParameters"/>.
    /// </summary>
    public static double ModelParameters(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        if (displayName == ModelReference.EmbeddedName) return EmbeddedModelParameters;
        if (displayName == ModelReference.TrackerName) return TrackerModelParameters;
        var matches = SizeInName().Matches(displayName);
        if (matches.Count == 0) return UnknownModelParameters;
        var last = matches[^1];
        double number = double.Parse(last.Groups["n"].Value, CultureInfo.InvariantCulture);
        double scale = char.ToUpperInvariant(last.Groups["u"].Value[0]) == 'B' ? 1e9 : 1e6;
        return number > 0 ? number * scale : UnknownModelParameters;
    }

    /// <summary>An accuracy group: every case is one prompt of about <paramref name="promptChars"/> characters plus its generated tokens.</summary>
    public static double Accuracy(int cases, int promptChars, int maxNewTokens, string model) =>
        Positive(cases, nameof(cases)) * (Positive(promptChars, nameof(promptChars)) + maxNewTokens) * ModelParameters(model);

    /// <summary>
    /// A tracing row: <paramref name="forwardPasses"/> patched runs over a prompt of <paramref name="promptChars"/>
    /// characters (a full token × layer sweep needs about one pass per token).
    /// </summary>
    public static double Tracing(int forwardPasses, int promptChars, string model) =>
        Positive(forwardPasses, nameof(forwardPasses)) * Positive(promptChars, nameof(promptChars)) * ModelParameters(model);

    private static double Positive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");

    // A number followed by B or M that is not part of a longer word ("0.6B", "14b", "135M"; not "Base", "MoE").
    [GeneratedRegex(@"(?<![A-Za-z0-9.])(?<n>\d+(?:\.\d+)?)(?<u>[BbMm])(?![A-Za-z])")]
    private static partial Regex SizeInName();
}
