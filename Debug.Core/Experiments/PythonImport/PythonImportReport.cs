namespace Debug.Core.Experiments.PythonImport;

/// <summary>The Python framework's own <c>summary.json</c> numbers: overall, by model and by seq_len.</summary>
/// <param name="TotalSamples">Its <c>total_samples</c>.</param>
/// <param name="OverallAccuracy">Its <c>overall_accuracy</c>.</param>
/// <param name="ByModel">Its <c>by_model</c>.</param>
/// <param name="BySeqLen">Its <c>by_seq_len</c> (keys as it writes them, e.g. <c>"5"</c>).</param>
public sealed record PythonSummary(int TotalSamples, double OverallAccuracy,
    IReadOnlyDictionary<string, double> ByModel, IReadOnlyDictionary<string, double> BySeqLen);

/// <summary>What an import did: where from and to, how many programs Debug regenerates, and whether the accuracies agree.</summary>
/// <param name="Source">The results.json read.</param>
/// <param name="OutputFolder">The Debug run folder written.</param>
/// <param name="Experiment">The experiment name(s) of the records.</param>
/// <param name="Records">Records imported.</param>
/// <param name="Regeneration">The generator and seeding that reproduce the most programs, or null when none reproduces any.</param>
/// <param name="Accuracy">Debug's accuracies of the imported records, in the framework's shape.</param>
/// <param name="FrameworkSummary">The framework's summary.json beside the results, when there is one.</param>
/// <param name="SummaryAgrees">Whether every number of <paramref name="FrameworkSummary"/> equals Debug's; null without one.</param>
/// <param name="Disagreements">The numbers that differ, named.</param>
public sealed record PythonImportReport(string Source, string OutputFolder, string Experiment, int Records,
    RegenerationMatch? Regeneration, PythonSummary Accuracy, PythonSummary? FrameworkSummary, bool? SummaryAgrees,
    IReadOnlyList<string> Disagreements);
