using System.Text.Json.Nodes;

namespace Debug.Core.Model.Loading;

/// <summary>Typed access to config.json fields, turning every missing or mistyped field into an error that names it.</summary>
internal sealed class ConfigReader(string file, JsonObject root)
{
    public string File { get; } = file;
    public JsonObject Root { get; } = root;

    public bool Has(string key) => Root.TryGetPropertyValue(key, out var v) && v is not null;

    public int Int(string key) => Has(key) ? IntAt(Root, key, key) : throw Missing(key);

    public int? IntOrNull(string key) => Has(key) ? IntAt(Root, key, key) : null;

    public double Double(string key, double fallback) => Has(key) ? DoubleAt(Root, key, key) : fallback;

    public double? DoubleOrNull(string key) => Has(key) ? DoubleAt(Root, key, key) : null;

    public bool Bool(string key, bool fallback)
    {
        if (!Has(key)) return fallback;
        try { return Root[key]!.GetValue<bool>(); }
        catch (Exception e) when (e is FormatException or InvalidOperationException) { throw Wrong(key, "a boolean"); }
    }

    public string? String(string key)
    {
        if (!Has(key)) return null;
        try { return Root[key]!.GetValue<string>(); }
        catch (Exception e) when (e is FormatException or InvalidOperationException) { throw Wrong(key, "a string"); }
    }

    /// <summary>Reads an int or a list of ints (eos_token_id may be either).</summary>
    public IReadOnlyList<int> IntList(string key)
    {
        if (!Has(key)) return [];
        var node = Root[key]!;
        if (node is JsonArray arr) return arr.Select((n, i) => n is null ? throw Wrong($"{key}[{i}]", "an integer") : IntValue(n, $"{key}[{i}]")).ToList();
        return [IntValue(node, key)];
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        if (!Has(key)) return null;
        if (Root[key] is not JsonArray arr) throw Wrong(key, "a list of strings");
        return arr.Select((n, i) => n?.GetValueKind() == System.Text.Json.JsonValueKind.String ? n.GetValue<string>() : throw Wrong($"{key}[{i}]", "a string")).ToList();
    }

    public JsonObject? Object(string key)
    {
        if (!Has(key)) return null;
        return Root[key] as JsonObject ?? throw Wrong(key, "an object");
    }

    public int IntAt(JsonObject o, string key, string path) => IntValue(o[key]!, path);

    public double DoubleAt(JsonObject o, string key, string path)
    {
        try { return o[key]!.GetValue<double>(); }
        catch (Exception e) when (e is FormatException or InvalidOperationException) { throw Wrong(path, "a number"); }
    }

    private int IntValue(JsonNode n, string path)
    {
        try
        {
            double d = n.GetValue<double>();
            if (d != Math.Floor(d) || d < int.MinValue || d > int.MaxValue) throw Wrong(path, "an integer");
            return (int)d;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException) { throw Wrong(path, "an integer"); }
    }

    public CheckpointFormatException Missing(string key) => new(File, key, "missing required field");

    public CheckpointFormatException Wrong(string key, string expected) => new(File, key, $"expected {expected}");
}
