using Debug.Core.Serialization;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Debug.Core.Reports;

namespace Debug.Core.Experiments.PythonImport;

/// <summary>
/// Turns a Python-framework <c>results.json</c> into a Debug run folder: results.json (Debug's records, which also
/// keep the framework's field names), summary.json with Wilson intervals, results_summary.csv, accuracy_plot.png and
/// import_report.json. Correctness is the framework's own <c>correct</c> flag, so the accuracies are its accuracies;
/// the report compares them with its summary.json and says how many programs Debug regenerates.
/// </summary>
public static class PythonResultsImport
{
    /// <summary>The report file written into the run folder.</summary>
    public const string ReportFile = "import_report.json";

    /// <summary>Imports <paramref name="resultsJson"/> into the new folder <paramref name="outputFolder"/>.</summary>
    /// <param name="resultsJson">A results.json of the framework's runner; never modified.</param>
    /// <param name="outputFolder">A folder that does not exist yet, or is empty.</param>
    /// <param name="generator">Regenerate with this framework generator only (e.g. <c>make_range_program</c>), or null to try all.</param>
    /// <exception cref="FileNotFoundException">The results file does not exist.</exception>
    /// <exception cref="InvalidDataException">The results file (or the summary.json beside it) is malformed; the message names file, record and field.</exception>
    /// <exception cref="IOException"><paramref name="outputFolder"/> exists and is not empty.</exception>
    public static PythonImportReport Run(string resultsJson, string outputFolder, string? generator = null)
    {
        ArgumentNullException.ThrowIfNull(resultsJson);
        ArgumentNullException.ThrowIfNull(outputFolder);
        string source = Path.GetFullPath(resultsJson);
        string folder = Path.GetFullPath(outputFolder);
        var records = PythonResultRecord.ReadAll(source);
        if (records.Count == 0) throw new InvalidDataException($"{source}: no records to import.");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new IOException($"--out {folder} exists and is not empty; choose a new folder (an import never overwrites a run).");

        var regeneration = ProgramRegeneration.Best(records, generator);
        string experiment = string.Join("+", records.Select(r => r.Experiment).Distinct(StringComparer.Ordinal));
        var cases = records.Select(ToCase).ToList();
        var summary = AccuracySummary.Compute(experiment, cases, exactHops: false);
        var accuracy = Shape(summary);
        string summaryPath = Path.Combine(Path.GetDirectoryName(source)!, "summary.json");
        var framework = File.Exists(summaryPath) ? ReadSummary(summaryPath) : null;
        var disagreements = framework is null ? [] : Compare(framework, accuracy);

        Directory.CreateDirectory(folder);
        var report = new PythonImportReport(source, folder, experiment, records.Count, regeneration, accuracy, framework,
            framework is null ? null : disagreements.Count == 0, disagreements);
        AtomicFile.WriteAllText(Path.Combine(folder, ResultsWriter.ResultsFile), DebugJson.Serialize(cases));
        AtomicFile.WriteAllText(Path.Combine(folder, ResultsWriter.SummaryFile), DebugJson.Serialize(summary));
        AtomicFile.WriteAllText(Path.Combine(folder, ResultsWriter.CsvFile), ResultsWriter.Csv(summary));
        AtomicFile.WriteAllBytes(Path.Combine(folder, ResultsWriter.PlotFile), AccuracyPlot.Render(summary, byHops: false));
        AtomicFile.WriteAllText(Path.Combine(folder, ReportFile), DebugJson.Serialize(report));
        return report;
    }

    private static CaseResult ToCase(PythonResultRecord r)
    {
        var metadata = (JsonObject)r.Extra.DeepClone();
        metadata["imported_from"] = "python_framework";
        return new CaseResult
        {
            Experiment = r.Experiment,
            Model = r.ModelId,
            SeqLen = r.SeqLen,
            Hops = r.QueryHops,
            SeedId = r.SeqId,
            Program = r.Program,
            // The framework's results do not store the prompt.
            Prompt = "",
            Expected = r.TrueAnswer,
            Predicted = r.PredictedAnswer,
            Correct = r.Correct,
            RawOutput = r.RawOutput,
            Metadata = metadata,
        };
    }

    private static PythonSummary Shape(AccuracySummary s) => new(s.Overall.N, s.Overall.Accuracy,
        s.ByModel.ToDictionary(kv => kv.Key, kv => kv.Value.Accuracy, StringComparer.Ordinal),
        s.ByLength.ToDictionary(kv => kv.Key, kv => kv.Value.Accuracy, StringComparer.Ordinal));

    /// <summary>Reads the framework's summary.json (total_samples, overall_accuracy, by_model, by_seq_len).</summary>
    /// <param name="path">Its path.</param>
    /// <exception cref="InvalidDataException">A field is missing or has the wrong type, or the file records an error.</exception>
    public static PythonSummary ReadSummary(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path}: expected a JSON object.");
            if (root["error"] is not null) throw new InvalidDataException($"{path}: the framework recorded an error: {root["error"]}.");
            return new PythonSummary(
                Field(root, "total_samples", path).GetValue<int>(),
                Field(root, "overall_accuracy", path).GetValue<double>(),
                Map(Field(root, "by_model", path), path, "by_model"),
                Map(Field(root, "by_seq_len", path), path, "by_seq_len"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a framework summary.json ({e.Message}).", e);
        }
    }

    private static JsonNode Field(JsonObject root, string name, string path) =>
        root[name] ?? throw new InvalidDataException($"{path}: field '{name}' is missing.");

    private static Dictionary<string, double> Map(JsonNode node, string path, string name) =>
        node is JsonObject o
            ? o.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<double>() ?? throw new InvalidDataException($"{path}: {name}.{kv.Key} is null."), StringComparer.Ordinal)
            : throw new InvalidDataException($"{path}: field '{name}' must be an object.");

    // Both sides divide the same integer counts in float64 (pandas' mean of a bool column), so equality is exact.
    private static List<string> Compare(PythonSummary theirs, PythonSummary ours)
    {
        var differences = new List<string>();
        if (theirs.TotalSamples != ours.TotalSamples) differences.Add($"total_samples: framework {theirs.TotalSamples}, Debug {ours.TotalSamples}");
        if (theirs.OverallAccuracy != ours.OverallAccuracy) differences.Add($"overall_accuracy: framework {R(theirs.OverallAccuracy)}, Debug {R(ours.OverallAccuracy)}");
        CompareMaps("by_model", theirs.ByModel, ours.ByModel, differences);
        CompareMaps("by_seq_len", theirs.BySeqLen, ours.BySeqLen, differences);
        return differences;
    }

    private static void CompareMaps(string name, IReadOnlyDictionary<string, double> theirs, IReadOnlyDictionary<string, double> ours, List<string> differences)
    {
        foreach (string key in theirs.Keys.Union(ours.Keys).Order(StringComparer.Ordinal))
        {
            bool a = theirs.TryGetValue(key, out double t), b = ours.TryGetValue(key, out double o);
            if (!a || !b || t != o)
                differences.Add($"{name}.{key}: framework {(a ? R(t) : "absent")}, Debug {(b ? R(o) : "absent")}");
        }
    }

    private static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
