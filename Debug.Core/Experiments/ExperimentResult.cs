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

    /// <summary>The cases of one group; <paramref name="hops"/> null matches every depth.</summary>
    public IReadOnlyList<CaseResult> Group(string model, int seqLen, int? hops = null) =>
        [.. Cases.Where(c => c.Model == model && c.SeqLen == seqLen && (hops is null || c.Hops == hops))];
}
