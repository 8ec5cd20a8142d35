using Debug.Core;
using System.Collections.Concurrent;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Gates;
using Debug.Core.Reports;
using Xunit;

namespace Debug.Experiments.Infrastructure;

/// <summary>All experiment classes share one suite, so they run one after another (CPU-bound) and share models.</summary>
[CollectionDefinition(Name)]
public sealed class ExperimentCollection : ICollectionFixture<ExperimentSuite>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Experiments";
}

/// <summary>
/// Shared state of a test run: the selection (models, cases), one runner with its model cache, the thresholds.
/// Each experiment runs once, on first use, over all its groups and models (one results folder, one plot across
/// lengths); every theory row then judges its own group of that run.
/// </summary>
public sealed class ExperimentSuite : IDisposable
{
    /// <summary>Environment variable that moves the results root (default: results/ in the repository).</summary>
    public const string ResultsVariable = "DEBUG_RESULTS";

    /// <summary>Environment variable setting libtorch's intra-op threads (0: libtorch's default, the core count).</summary>
    public const string ThreadsVariable = "DEBUG_THREADS";

    private readonly ConcurrentDictionary<string, Lazy<ExperimentResult>> _runs = new(StringComparer.Ordinal);

    /// <summary>Created by xUnit once per test run.</summary>
    public ExperimentSuite()
    {
        Selection = ExperimentSelection.Current();
        string? root = Environment.GetEnvironmentVariable(ResultsVariable);
        int threads = ThreadCount(Selection);
        // One folder per test run: every experiment and tracing row writes its subfolder inside it.
        Run = RunFolder.Create("dotnet test Debug.Experiments", string.IsNullOrWhiteSpace(root) ? null : root, new Dictionary<string, string>
        {
            ["models"] = string.Join(";", Selection.Models),
            ["cases per group"] = Selection.CasesPerGroup.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["selection"] = Selection.Source,
            ["torch threads"] = threads == 0 ? "default" : threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [TracingRows.RanksVariable] = TracingRows.RanksTraced(Environment.GetEnvironmentVariable(TracingRows.RanksVariable)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Runner = new ExperimentRunner(new RunnerOptions
        {
            ResultsRoot = Run.Path,
            // A missing model fails its own rows (with the download hint), not the other models' rows.
            ContinueOnModelError = true,
            Threads = threads,
        });
        // The runner sets its threads when it runs; tracing rows may come first.
        if (Runner.Options.Threads is int t and > 0) TorchRuntime.SetThreads(t);
        Tracing = new TracingCases(Runner.Models, Selection, Run);
        Thresholds = ThresholdTable.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "thresholds.json")), "Debug.Experiments/thresholds.json");
        Gate = new AccuracyGate(Thresholds);
        Diagnostic($"models: {string.Join(", ", Selection.Models)}; {Selection.CasesPerGroup} cases per group ({Selection.Source}); " +
            $"{(Runner.Options.Threads is 0 ? "default" : Runner.Options.Threads)} torch thread(s); run folder {Run.Path}");
    }

    // One thread unless told otherwise, or unless a large model runs on a machine with cores to spare: the embedded
    // model is too small to gain from intra-op threads, and on a shared two-core CI machine two threads ran 10x slower.
    internal static int ThreadCount(ExperimentSelection selection)
    {
        string? value = Environment.GetEnvironmentVariable(ThreadsVariable);
        if (int.TryParse(value, out int n) && n >= 0) return n;
        bool onlyEmbedded = selection.Models.All(m => ModelReference.Parse(m).IsEmbedded);
        return onlyEmbedded || Environment.ProcessorCount <= 2 ? 1 : 0;
    }

    /// <summary>Models and case count of this run.</summary>
    public ExperimentSelection Selection { get; }

    /// <summary>This test run's folder (results/&lt;run id&gt;/).</summary>
    public RunFolder Run { get; }

    /// <summary>The shared runner.</summary>
    public ExperimentRunner Runner { get; }

    /// <summary>Models, robust seeds and cases of the tracing experiments.</summary>
    public TracingCases Tracing { get; }

    /// <summary>thresholds.json.</summary>
    public ThresholdTable Thresholds { get; }

    /// <summary>The gate over <see cref="Thresholds"/>.</summary>
    public AccuracyGate Gate { get; }

    /// <summary>Runs (once) and judges one group; fails the calling test when the gate fails or the model is missing.</summary>
    public void Check(ExperimentDefinition experiment, string model, int seqLen, int? hops, ITestOutputHelper output)
    {
        var result = _runs.GetOrAdd(experiment.Name, _ => new Lazy<ExperimentResult>(() => RunExperiment(experiment, output))).Value;
        string? folder = result.OutputFolder is null ? null : Run.Relative(result.OutputFolder);
        if (result.ModelErrors.TryGetValue(model, out var error))
        {
            Run.AddGate(new GateRow(model, experiment.Name, GateRow.GroupName(seqLen, hops), seqLen, hops, 0, 0, 0, 0, 0, null, GateRow.Failed, folder));
            Assert.Fail($"{model} could not run {experiment.Name}: {error.Message}");
        }

        var cases = result.Group(model, seqLen, hops);
        var outcome = Gate.Evaluate(model, experiment.Name, seqLen, hops, cases);
        Run.AddGate(GateRow.From(model, experiment.Name, seqLen, hops, cases, outcome, folder));
        output.WriteLine(outcome.Message);
        if (cases.Any(c => !c.Correct))
            output.WriteLine("errors: " + string.Join(", ", ErrorAnalysis.CountKinds(cases).Where(k => k.Value > 0).Select(k => $"{k.Key} {k.Value}")));
        output.WriteLine($"results: {result.OutputFolder}");
        if (outcome.Status == GateStatus.NotGated) Diagnostic(outcome.Message);
        if (outcome.Status == GateStatus.Failed) Assert.Fail(outcome.Message);
    }

    private ExperimentResult RunExperiment(ExperimentDefinition experiment, ITestOutputHelper output)
    {
        var config = experiment.ToConfig(Selection);
        var progress = new LineProgress(p =>
        {
            output.WriteLine(p.ToString());
            if (p.CasesDone == p.CasesInGroup) Diagnostic(p.ToString());
        });
        var result = Runner.Run(config, progress);
        Diagnostic($"[{experiment.Name}] {result.Summary.Overall} overall, {result.CasesPerSecond:F1} cases/s -> {result.OutputFolder}");
        return result;
    }

    // Diagnostic messages appear in `dotnet test` output as "[xUnit.net ...] Debug.Experiments: ..." (xunit.runner.json
    // enables them), so progress and NOT GATED groups are visible even at normal verbosity.
    private static void Diagnostic(string message) => TestContext.Current.SendDiagnosticMessage(message);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Run.Complete();
            Diagnostic($"run {Run.RunId}: {Run.Gates.Count} gates -> {Path.Combine(Run.Path, RunFolder.IndexFile)}");
        }
        finally
        {
            Runner.Dispose();
        }
    }

    private sealed class LineProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
