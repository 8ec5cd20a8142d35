namespace Debug.Core.Model.Loading;

/// <summary>
/// Rotary position embedding settings, normalised from either config.json form: transformers 4
/// (<c>rope_theta</c> + <c>rope_scaling</c>) or transformers 5 (<c>rope_parameters</c>). Data only; the math lives
/// with the rotary block.
/// </summary>
public sealed record RopeConfig
{
    /// <summary>The RoPE types Debug implements. Anything else is refused, never silently treated as default.</summary>
    public static readonly IReadOnlySet<string> SupportedTypes = new HashSet<string> { "default", "linear", "llama3", "dynamic" };

    /// <summary>default, linear, llama3 or dynamic.</summary>
    public string Type { get; init; } = "default";

    /// <summary>Base of the inverse frequencies (rope_theta).</summary>
    public double Theta { get; init; } = 10000.0;

    /// <summary>Scaling factor (linear, llama3, dynamic); 1 for default.</summary>
    public double Factor { get; init; } = 1.0;

    /// <summary>llama3: wavelengths above original_max / low_freq_factor are scaled fully.</summary>
    public double LowFreqFactor { get; init; } = 1.0;

    /// <summary>llama3: wavelengths below original_max / high_freq_factor are kept.</summary>
    public double HighFreqFactor { get; init; } = 4.0;

    /// <summary>llama3 and dynamic: the context length the model was trained at.</summary>
    public int? OriginalMaxPositionEmbeddings { get; init; }

    /// <summary>Fraction of head_dim that is rotated (1 for every architecture supported today).</summary>
    public double PartialRotaryFactor { get; init; } = 1.0;
}
