using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Debug.Core.Prompts;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tasks.PythonCompat.Generators;

namespace Debug.Core.Tests.Tasks.PythonCompat;

/// <summary>
/// Reproduces golden rows and describes each mismatch: generator, seq_len, seed, the first differing character and the
/// 32-bit words drawn on both sides.
/// </summary>
internal static class SeedGoldenChecks
{
    /// <summary>Checks one row of generators.jsonl; null when it reproduces.</summary>
    public static string? GeneratorRow(JsonElement row)
    {
        string generator = row.GetProperty("generator").GetString()!;
        int seqLen = row.GetProperty("seq_len").GetInt32();
        long seed = row.GetProperty("seed").GetInt64();
        long goldenWords = row.GetProperty("mt_words").GetInt64();
        var rng = new NumpyRandomState(seed);
        var differences = new List<string>();
        string where = $"{generator} seq_len={seqLen} seed={seed}";

        if (PairGenerator(generator) is { } pair)
        {
            int k = row.GetProperty("divergence_index").GetInt32();
            where += $" divergence_index={k}";
            var made = pair(seqLen, k, rng);
            Text("program", row.GetProperty("program").GetString()!, made.ProgramA, differences);
            Text("program_b", row.GetProperty("program_b").GetString()!, made.ProgramB, differences);
            Longs("intermediates", row.GetProperty("intermediates"), made.IntermediatesA, differences);
            Longs("intermediates_b", row.GetProperty("intermediates_b"), made.IntermediatesB, differences);
            Text("answer", PythonStr(row.GetProperty("answer")), made.IntermediatesA[^1].ToString(CultureInfo.InvariantCulture), differences);
            Text("answer_b", PythonStr(row.GetProperty("answer_b")), made.IntermediatesB[^1].ToString(CultureInfo.InvariantCulture), differences);
        }
        else
        {
            var single = SingleGenerator(generator, row);
            if (single is null)
            {
                return $"{where}: no Debug generator reproduces '{generator}'";
            }
            var made = single.Generate(seqLen, rng);
            Text("program", row.GetProperty("program").GetString()!, made.Program, differences);
            Text("answer", PythonStr(row.GetProperty("answer")), made.Expected, differences);
            if (row.TryGetProperty("query_hops", out var hops))
            {
                int actual = ((PythonVariableBindingMetadata)made.Metadata).QueryHops;
                if (actual != hops.GetInt32()) differences.Add($"query_hops: golden {hops.GetInt32()}, Debug {actual}");
            }
            if (row.TryGetProperty("intermediates", out var intermediates))
            {
                Longs("intermediates", intermediates, ((PythonSequenceMetadata)made.Metadata).Intermediates, differences);
            }
        }
        if (rng.WordsDrawn != goldenWords) differences.Add("mt_words differ");
        return differences.Count == 0 ? null
            : $"{where} (mt_words golden {goldenWords}, Debug {rng.WordsDrawn}): {string.Join("; ", differences)}";
    }

    /// <summary>Checks one row of counterfactuals.jsonl; null when it reproduces.</summary>
    public static string? CounterfactualRow(JsonElement row)
    {
        int seqLen = row.GetProperty("seq_len").GetInt32();
        long seed = row.GetProperty("seed").GetInt64();
        long goldenWords = row.GetProperty("mt_words").GetInt64();
        var rng = new NumpyRandomState(seed);
        var made = new PythonVariableBindingGenerator().Generate(seqLen, rng);
        var metadata = (PythonVariableBindingMetadata)made.Metadata;
        var differences = new List<string>();
        Text("program", row.GetProperty("program").GetString()!, made.Program, differences);
        Text("answer", PythonStr(row.GetProperty("answer")), made.Expected, differences);
        Text("query_var", row.GetProperty("query_var").GetString()!, metadata.QueryVariable, differences);
        if (metadata.QueryHops != row.GetProperty("query_hops").GetInt32()) differences.Add($"query_hops: golden {row.GetProperty("query_hops").GetInt32()}, Debug {metadata.QueryHops}");
        string goldenChain = string.Join(" ", row.GetProperty("chain").EnumerateArray().Select(l => $"{l[0].GetString()}->{l[1].GetString()}"));
        Text("chain", goldenChain, string.Join(" ", metadata.Chain.Select(l => $"{l.Variable}->{l.RefersTo}")), differences);
        if (rng.WordsDrawn != goldenWords) differences.Add("mt_words differ");

        var counterfactual = PythonBindingCounterfactual.Create(made.Program, metadata.QueryVariable, new PythonRandom(seed));
        Text("new_root_value", row.GetProperty("new_root_value").GetString()!, counterfactual.NewRootValue, differences);
        if (counterfactual.NewRootValueIndex != row.GetProperty("new_root_value_index").GetInt32())
        {
            differences.Add($"new_root_value_index: golden {row.GetProperty("new_root_value_index").GetInt32()}, Debug {counterfactual.NewRootValueIndex}");
        }
        Text("counterfactual_program", row.GetProperty("counterfactual_program").GetString()!, counterfactual.CounterfactualProgram, differences);
        return differences.Count == 0 ? null
            : $"counterfactual seq_len={seqLen} seed={seed} (mt_words golden {goldenWords}, Debug {rng.WordsDrawn}): {string.Join("; ", differences)}";
    }

    /// <summary>Checks one row of parsers.jsonl; null when it reproduces.</summary>
    public static string? ParserRow(JsonElement row)
    {
        string parser = row.GetProperty("parser").GetString()!;
        string text = row.GetProperty("text").GetString()!;
        var expected = row.GetProperty("expected");
        string golden = expected.ValueKind switch
        {
            JsonValueKind.Null => "None",
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            // Raw text: the 20-digit row does not fit any fixed-size integer.
            _ => BigInteger.Parse(expected.GetRawText(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        };
        string actual = parser switch
        {
            "parse_integer" => PythonAnswerParsers.ParseInteger(text)?.ToString(CultureInfo.InvariantCulture) ?? "None",
            "parse_boolean" => PythonAnswerParsers.ParseBoolean(text) switch { true => "True", false => "False", null => "None" },
            _ => $"(no parser named {parser})",
        };
        return actual == golden ? null : $"{parser}({Quote(text)}): golden {golden}, Debug {actual}";
    }

    /// <summary>Checks prompts.json: every template equals Debug's copy byte for byte.</summary>
    public static IEnumerable<string> PromptTemplates(JsonElement document)
    {
        foreach (var template in document.GetProperty("templates").EnumerateObject())
        {
            var ours = PythonPromptTemplates.Find(template.Name);
            if (ours is null)
            {
                yield return $"template {template.Name}: Debug has no template of that name";
                continue;
            }
            string? difference = FirstDifference(template.Value.GetString()!, ours.Text);
            if (difference is not null) yield return $"template {template.Name}: {difference}";
        }
    }

    private static Func<int, int, NumpyRandomState, PythonProgramPair>? PairGenerator(string name) => name switch
    {
        "make_counterfactual_pair" => PythonCounterfactualPairs.Arithmetic,
        "_02_opensource_entity_tracking.make_counterfactual_pair" => PythonCounterfactualPairs.EntityTracking,
        "_04_boolean_experiment.make_counterfactual_pair_boolean" => PythonCounterfactualPairs.Boolean,
        _ => null,
    };

    private static IRandomStateTaskGenerator? SingleGenerator(string name, JsonElement row)
    {
        // Without random_sum, the _05 script's functions are the package's range generators (same text, same draw).
        bool randomSum = !row.TryGetProperty("random_sum", out var flag) || flag.GetBoolean();
        return (name, randomSum) switch
        {
            ("_05_range_tracking.make_range_program", false) => PythonFrameworkGenerators.Find("make_range_program"),
            ("_05_range_tracking.make_range_program_newlines", false) => PythonFrameworkGenerators.Find("make_range_program_lines"),
            _ => PythonFrameworkGenerators.Find(name),
        };
    }

    /// <summary>Python's <c>str()</c> of a JSON answer: ints as digits, booleans capitalised.</summary>
    private static string PythonStr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => value.GetRawText(),
    };

    private static void Text(string field, string golden, string actual, List<string> differences)
    {
        string? difference = FirstDifference(golden, actual);
        if (difference is not null) differences.Add($"{field}: {difference}");
    }

    private static void Longs(string field, JsonElement golden, IReadOnlyList<long> actual, List<string> differences)
    {
        string g = string.Join(",", golden.EnumerateArray().Select(e => e.GetInt64()));
        Text(field, "[" + g + "]", "[" + string.Join(",", actual) + "]", differences);
    }

    private static readonly JsonSerializerOptions Readable = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = Debug.Core.Serialization.DebugJsonContext.Default,
    };

    /// <summary>A JSON string literal that keeps printable characters as they are.</summary>
    private static string Quote(string text) => JsonSerializer.Serialize(text, Readable);

    /// <summary>Where two texts first differ, with both characters and a little context; null when equal.</summary>
    public static string? FirstDifference(string golden, string actual)
    {
        if (golden == actual) return null;
        int i = 0;
        while (i < golden.Length && i < actual.Length && golden[i] == actual[i]) i++;
        string At(string s) => i < s.Length ? Quote(s[i].ToString()) : "(end)";
        string context = Quote(golden[Math.Max(0, i - 12)..Math.Min(golden.Length, i + 12)]);
        return $"first difference at character {i}: golden {At(golden)}, Debug {At(actual)} (golden around it: {context})";
    }
}
