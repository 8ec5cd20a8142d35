using Debug.Core.Reports;

namespace Debug.Core.Experiments;

/// <summary>Everything one <see cref="ExperimentRunner.Run"/> produced.</summary>
public sealed record ExperimentResult
{
    /// <summary>The config that ran.</summary>
    public required ExperimentConfig Config { get; init; }

    /// <summary>Every scored case, grouped by model, then length, then hops, then case index.</summary>
    public required IReadOnlyList<CaseResult> Cases { get; init; }

    /// <summary>Accuracy overall and broken down.</summary>
    public required AccuracySummary Summary { get; init; }

    /// <summary>Models (display names) that could not run, with the error.</summary>
    public required IReadOnlyDictionary<string, Exception> ModelErrors { get; init; }

    /// <summary>Where each model that ran came from (written only when files are: hashing the weights takes a while once).</summary>
    public IReadOnlyList<ModelProvenance> Provenance { get; init; } = [];

    /// <summary>Where each model ran and with which request settings (models.json); models that could not start are absent.</summary>
    public IReadOnlyList<ModelRunInfo> ModelRuns { get; init; } = [];

    /// <summary>The run's folder under the results root, or null when files were not written.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Wall time of inference (generation and scoring), excluding model loading.</summary>
    public required TimeSpan InferenceTime { get; init; }

    /// <summary>Tokens generated, all cases together.</summary>
    public required long GeneratedTokens { get; init; }

    /// <summary>Cases per second of inference time.</summary>
    public double CasesPerSecond => InferenceTime > TimeSpan.Zero ? Cases.Count / InferenceTime.TotalSeconds : 0;

    /// <summary>Generated tokens per second of inference time.</summary>
    public double TokensPerSecond => InferenceTime > TimeSpan.Zero ? GeneratedTokens / InferenceTime.TotalSeconds : 0;

    /// <summary>
    /// One line for a log: <c>[name] 87.0% (348/400), 95% CI [...] overall, 12.3 cases/s -> folder</c>, then each model
    /// that could not run; a run in which no case ran says <c>[name] no cases ran: &lt;model&gt;: &lt;reason&gt;</c>.
    /// </summary>
    public string SummaryLine()
    {
        string failures = string.Join("; ", ModelErrors.Select(e => $"{e.Key}: {e.Value.Message}"));
        if (Cases.Count == 0)
            return $"[{Config.Name}] no cases ran: {(failures.Length > 0 ? failures : "no model or group was selected")}";
        string line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"[{Config.Name}] {Summary.Overall} overall, {CasesPerSecond:F1} cases/s");
        if (OutputFolder is not null) line += $" -> {OutputFolder}";
        return failures.Length > 0 ? $"{line}; could not run: {failures}" : line;
    }

    /// <summary>The cases of one group; <paramref name="hops"/> null matches every depth.</summary>
    public IReadOnlyList<CaseResult> Group(string model, int seqLen, int? hops = null) =>
        [.. Cases.Where(c => c.Model == model && c.SeqLen == seqLen && (hops is null || c.Hops == hops))];
}
