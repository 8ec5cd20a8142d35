using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Snapshooter;
using Snapshooter.Xunit3;

namespace Debug.Experiments.Infrastructure;

/// <summary>
/// A float that a snapshot stores rounded to <paramref name="Decimals"/> places (midpoints away from zero, no
/// negative zero) and compares by value: it matches a stored number when it lies within half a grid step of it plus
/// a guard band (<see cref="GridSnapshot.Guard"/>).
/// </summary>
/// <remarks>
/// libtorch picks different kernels on AVX2, AVX-512 and AMX CPUs, so the same computation differs in the last bits
/// between machines. Compared as text, a value that sits within that noise of a rounding boundary (0.12499999 here,
/// 0.12500001 there) flips a digit and fails a snapshot although nothing moved. Compared by value, it passes on both,
/// and a value that really moved (by more than half a step plus the guard) still fails loudly.
/// </remarks>
[JsonConverter(typeof(GridNumberRoundedConverter))]
public readonly record struct GridNumber(double Value, int Decimals)
{
    /// <summary>The value as the snapshot file stores it.</summary>
    public double Rounded => Math.Round(Value, Decimals, MidpointRounding.AwayFromZero) + 0.0;

    /// <inheritdoc />
    public override string ToString() => Rounded.ToString("F" + Decimals, CultureInfo.InvariantCulture);
}

/// <summary>Snapshot matching that compares <see cref="GridNumber"/> fields by value, everything else exactly.</summary>
public static class GridSnapshot
{
    /// <summary>
    /// The guard band beyond half a grid step, relative to the value (absolute below 1): 1e-4, a hundred times the
    /// cross-CPU noise measured on the engine (about 1e-6 on normalized effects) and far below any grid step used.
    /// </summary>
    public const double Guard = 1e-4;

    /// <summary>
    /// Matches <paramref name="value"/> against the snapshot <paramref name="name"/>. A missing snapshot goes to
    /// Snapshooter (written, or a failure in strict mode); a stored one passes when every grid number is within
    /// tolerance and everything else is equal, and otherwise fails with Snapshooter's diff plus the moved values.
    /// </summary>
    public static void Match(object value, SnapshotFullName name)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(name);
        var path = Path.Combine(name.FolderPath, name.Filename);
        if (!File.Exists(path))
        {
            Snapshot.Match(value, name);
            return;
        }
        var moved = Differences(value, File.ReadAllText(path));
        if (moved.Count == 0) return;
        var message = $"{name.Filename}: values moved beyond the grid tolerance: {string.Join("; ", moved)}";
        try
        {
            Snapshot.Match(value, name); // Snapshooter's diff, and its __mismatch__ file next to the snapshot
        }
        catch (Exception diff)
        {
            throw new SnapshotGridException(message, diff);
        }
        throw new SnapshotGridException(message);
    }

    /// <summary>
    /// Where <paramref name="value"/> differs from the stored snapshot text beyond the grid tolerance (empty when it
    /// matches): one entry per JSON path.
    /// </summary>
    public static IReadOnlyList<string> Differences(object value, string storedJson)
    {
        // The type's own converter writes the rounded text; the contract resolver swaps in the raw one for comparing.
        var serializer = JsonSerializer.Create(new JsonSerializerSettings { ContractResolver = new RawGridResolver() });
        var actual = JToken.FromObject(value, serializer);
        var stored = JToken.Parse(storedJson.TrimStart('\uFEFF'));
        var moved = new List<string>();
        Compare(actual, stored, moved);
        return moved;
    }

    private static void Compare(JToken actual, JToken stored, List<string> moved)
    {
        if (actual is JObject { Count: 2 } marker && marker[GridNumberRawConverter.RawField] is { } raw)
        {
            double v = raw.Value<double>();
            int decimals = marker[GridNumberRawConverter.DecimalsField]!.Value<int>();
            if (stored.Type is not (JTokenType.Float or JTokenType.Integer)) { moved.Add($"{stored.Path}: stored {stored}, now the number {v:R}"); return; }
            double s = stored.Value<double>(), tolerance = 0.5 * Math.Pow(10, -decimals) + Guard * Math.Max(1, Math.Abs(v));
            if (double.IsNaN(v) && double.IsNaN(s)) return;
            if (!(Math.Abs(v - s) <= tolerance)) moved.Add($"{stored.Path}: stored {s.ToString(CultureInfo.InvariantCulture)}, now {v:R} (tolerance {tolerance:G3})");
            return;
        }
        switch (actual, stored)
        {
            case (JObject a, JObject s):
                foreach (var key in a.Properties().Select(p => p.Name).Union(s.Properties().Select(p => p.Name)))
                {
                    if (a[key] is null || s[key] is null) { moved.Add($"{(s[key] ?? a[key])!.Path}: present on one side only"); continue; }
                    Compare(a[key]!, s[key]!, moved);
                }
                break;
            case (JArray a, JArray s):
                if (a.Count != s.Count) { moved.Add($"{stored.Path}: {s.Count} stored items, now {a.Count}"); break; }
                for (int i = 0; i < a.Count; i++) Compare(a[i], s[i], moved);
                break;
            default:
                if (!JToken.DeepEquals(actual, stored)) moved.Add($"{stored.Path}: stored {stored}, now {actual}");
                break;
        }
    }
}

/// <summary>Raised when a snapshot's grid numbers moved beyond tolerance (after Snapshooter's own diff).</summary>
public sealed class SnapshotGridException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotGridException(string message, Exception? diff = null) : base(message, diff) { }
}

/// <summary>Writes a <see cref="GridNumber"/> as its rounded value: the snapshot file's text.</summary>
internal sealed class GridNumberRoundedConverter : JsonConverter<GridNumber>
{
    public override void WriteJson(JsonWriter writer, GridNumber value, JsonSerializer serializer) => writer.WriteValue(value.Rounded);

    public override GridNumber ReadJson(JsonReader reader, Type objectType, GridNumber existingValue, bool hasExistingValue, JsonSerializer serializer) =>
        throw new NotSupportedException("grid numbers are written to snapshots, not read back as such");
}

/// <summary>Resolves <see cref="GridNumber"/> to <see cref="GridNumberRawConverter"/> (a type attribute wins over
/// converters in the settings, so the contract is where to override it).</summary>
internal sealed class RawGridResolver : Newtonsoft.Json.Serialization.DefaultContractResolver
{
    protected override Newtonsoft.Json.Serialization.JsonContract CreateContract(Type objectType)
    {
        var contract = base.CreateContract(objectType);
        if (objectType == typeof(GridNumber)) contract.Converter = new GridNumberRawConverter();
        return contract;
    }
}

/// <summary>Writes a <see cref="GridNumber"/> with its full value and grid, for the comparison.</summary>
internal sealed class GridNumberRawConverter : JsonConverter<GridNumber>
{
    internal const string RawField = "$gridRaw", DecimalsField = "$gridDecimals";

    public override void WriteJson(JsonWriter writer, GridNumber value, JsonSerializer serializer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(RawField);
        writer.WriteValue(value.Value);
        writer.WritePropertyName(DecimalsField);
        writer.WriteValue(value.Decimals);
        writer.WriteEndObject();
    }

    public override GridNumber ReadJson(JsonReader reader, Type objectType, GridNumber existingValue, bool hasExistingValue, JsonSerializer serializer) =>
        throw new NotSupportedException("grid numbers are written to snapshots, not read back as such");
}
