using System.Text.Json.Nodes;

namespace Debug.Core.Model.Loading;

/// <summary>Reads RoPE settings from either config format and refuses rope types Debug does not implement.</summary>
internal static class RopeParser
{
    public static RopeConfig Parse(ConfigReader c)
    {
        // transformers 5 keeps everything, theta included, in rope_parameters; version 4 splits theta and scaling.
        JsonObject? parameters = c.Object("rope_parameters");
        string section = parameters is not null ? "rope_parameters" : "rope_scaling";
        JsonObject? scaling = parameters ?? c.Object("rope_scaling");
        double theta = c.Double("rope_theta", 10000.0);
        if (scaling is null) return new RopeConfig { Theta = theta };

        string type = Str(scaling, "rope_type") ?? Str(scaling, "type") ?? "default";
        if (!RopeConfig.SupportedTypes.Contains(type))
            throw new CheckpointFormatException(c.File, $"{section}.rope_type",
                $"unsupported rope_type '{type}' (supported: {string.Join(", ", RopeConfig.SupportedTypes)})");
        double Num(string key, double fallback) =>
            scaling.TryGetPropertyValue(key, out var v) && v is not null ? c.DoubleAt(scaling, key, $"{section}.{key}") : fallback;
        int? original = scaling.TryGetPropertyValue("original_max_position_embeddings", out var o) && o is not null
            ? c.IntAt(scaling, "original_max_position_embeddings", $"{section}.original_max_position_embeddings")
            : null;
        var rope = new RopeConfig
        {
            Type = type,
            Theta = Num("rope_theta", theta),
            Factor = Num("factor", 1.0),
            LowFreqFactor = Num("low_freq_factor", 1.0),
            HighFreqFactor = Num("high_freq_factor", 4.0),
            OriginalMaxPositionEmbeddings = original ?? (type is "llama3" or "dynamic" ? c.IntOrNull("max_position_embeddings") : null),
            PartialRotaryFactor = Num("partial_rotary_factor", c.Double("partial_rotary_factor", 1.0)),
        };
        if (type != "default" && !(rope.Factor > 0))
            throw new CheckpointFormatException(c.File, $"{section}.factor", $"rope_type '{type}' needs a positive factor");
        return rope;
    }

    private static string? Str(JsonObject o, string key) =>
        o.TryGetPropertyValue(key, out var v) && v?.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
}
