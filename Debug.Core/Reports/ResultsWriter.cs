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
        WriteFiles(folder, result.Cases, result.Summary, result.Config.Hops is not null);
        WriteProvenance(folder, result.Provenance);
        AtomicFile.WriteAllText(Path.Combine(folder, ModelsFile), DebugJson.Serialize(result.ModelRuns));
        return folder;
    }

    /// <summary>Writes every file into <paramref name="folder"/> (created when missing, files replaced) and returns its full path.</summary>
    public static string WriteInto(string folder, ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string full = Path.GetFullPath(folder);
        WriteFiles(full, result.Cases, result.Summary, result.Config.Hops is not null);
        WriteProvenance(full, result.Provenance);
        AtomicFile.WriteAllText(Path.Combine(full, ModelsFile), DebugJson.Serialize(result.ModelRuns));
        return full;
    }

    /// <summary>
    /// Writes results.json, summary.json, results_summary.csv and accuracy_plot.png of <paramref name="cases"/> into
    /// <paramref name="folder"/>, each atomically; the same inputs give the same bytes (also when a merge of shards writes them).
    /// </summary>
    /// <param name="folder">Experiment folder.</param>
    /// <param name="cases">Every case record, in the order results.json lists them.</param>
    /// <param name="summary">Their summary.</param>
    /// <param name="exactHops">Whether the experiment ran exact hops (the plot then shows one line per depth).</param>
    public static void WriteFiles(string folder, IReadOnlyList<CaseResult> cases, AccuracySummary summary, bool exactHops)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(summary);
        AtomicFile.WriteAllText(Path.Combine(folder, ResultsFile), DebugJson.Serialize(cases));
        AtomicFile.WriteAllText(Path.Combine(folder, SummaryFile), DebugJson.Serialize(summary));
        AtomicFile.WriteAllText(Path.Combine(folder, CsvFile), Csv(summary));
        AtomicFile.WriteAllBytes(Path.Combine(folder, PlotFile), AccuracyPlot.Render(summary, exactHops));
    }

    /// <summary>
    /// Writes <see cref="ModelProvenance.FileName"/>: the run's Debug build and, per model, its folder, HF snapshot,
    /// weight hashes and dtype.
    /// </summary>
    public static void WriteProvenance(string folder, IEnumerable<ModelProvenance> models)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(models);
        var (version, commit) = ModelProvenance.DebugBuild();
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["debug_version"] = version,
            ["debug_commit"] = commit,
            ["models"] = new System.Text.Json.Nodes.JsonArray([.. models.Select(m => (System.Text.Json.Nodes.JsonNode)m.ToJson())]),
        };
        AtomicFile.WriteAllText(Path.Combine(folder, ModelProvenance.FileName), json.ToJsonString(CaseResult.JsonOptions));
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
