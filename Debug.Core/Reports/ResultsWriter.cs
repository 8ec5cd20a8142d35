using System.Globalization;
using System.Text;
using Debug.Core.Experiments;
using Debug.Core.Serialization;

namespace Debug.Core.Reports;

/// <summary>
/// Writes a run's files into <c>&lt;root&gt;/&lt;experiment&gt;_&lt;yyyyMMdd_HHmmss&gt;/</c>, each atomically:
/// results.json (one record per case), summary.json, results_summary.csv (one row per model), models.json
/// (backend, endpoint and request settings per model) and accuracy_plot.png.
/// </summary>
public static class ResultsWriter
{
    /// <summary>File of per-case records.</summary>
    public const string ResultsFile = "results.json";

    /// <summary>File of accuracy breakdowns.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>File of per-model accuracy rows.</summary>
    public const string CsvFile = "results_summary.csv";

    /// <summary>File of where each model ran and the request settings (no credentials).</summary>
    public const string ModelsFile = "models.json";

    /// <summary>Accuracy-vs-length plot.</summary>
    public const string PlotFile = "accuracy_plot.png";

    /// <summary>Writes every file and returns the run folder.</summary>
    public static string Write(ExperimentResult result, string resultsRoot, DateTime? utcNow = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        string folder = NewRunFolder(resultsRoot, result.Config.Name, utcNow ?? DateTime.UtcNow);
        AtomicFile.WriteAllText(Path.Combine(folder, ResultsFile), DebugJson.Serialize(result.Cases));
        AtomicFile.WriteAllText(Path.Combine(folder, SummaryFile), DebugJson.Serialize(result.Summary));
        AtomicFile.WriteAllText(Path.Combine(folder, CsvFile), Csv(result.Summary));
        AtomicFile.WriteAllText(Path.Combine(folder, ModelsFile), DebugJson.Serialize(result.ModelRuns));
        AtomicFile.WriteAllBytes(Path.Combine(folder, PlotFile), AccuracyPlot.Render(result.Summary, result.Config.Hops is not null));
        return folder;
    }

    /// <summary>Reads the case records of a results.json back.</summary>
    /// <exception cref="InvalidDataException">The file is not a list of case records.</exception>
    public static IReadOnlyList<CaseResult> ReadCases(string resultsJsonPath) =>
        DebugJson.Deserialize<List<CaseResult>>(File.ReadAllText(resultsJsonPath), resultsJsonPath);

    /// <summary>One row per model: model, experiment, accuracy, n, ci_low, ci_high (invariant culture, RFC 4180 quoting).</summary>
    public static string Csv(AccuracySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var csv = new StringBuilder("model,experiment,accuracy,n,ci_low,ci_high\n");
        foreach (var (model, s) in summary.ByModel)
            csv.Append(string.Create(CultureInfo.InvariantCulture,
                $"{Quote(model)},{Quote(summary.Experiment)},{s.Accuracy:F4},{s.N},{s.CiLow:F4},{s.CiHigh:F4}\n"));
        return csv.ToString();
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // Two runs of the same experiment within one second get _2, _3, ...: a run never overwrites another.
    private static string NewRunFolder(string root, string experiment, DateTime utcNow)
    {
        string stem = Path.Combine(Path.GetFullPath(root), $"{experiment}_{utcNow.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}");
        string folder = stem;
        for (int i = 2; ; i++)
        {
            try
            {
                // CreateDirectory succeeds on an existing folder, so claim the name with a marker file.
                Directory.CreateDirectory(folder);
                using (new FileStream(Path.Combine(folder, ".run"), FileMode.CreateNew)) { }
                return folder;
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, ".run")))
            {
                folder = $"{stem}_{i}";
            }
        }
    }
}
