using System.Diagnostics;
using Debug.Core.Reports;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tasks.PythonCompat.Generators;

namespace Debug.Core.Experiments;

/// <summary>
/// Runs accuracy experiments: generates each group's seeded cases, completes them greedily in left-padded batches,
/// parses and scores the answers, and writes results.json, summary.json, results_summary.csv and
/// accuracy_plot.png to a fresh folder. Holds a <see cref="ModelCache"/> so consecutive runs share loaded models.
/// </summary>
public sealed class ExperimentRunner : IDisposable
{
    /// <summary>Creates a runner.</summary>
    public ExperimentRunner(RunnerOptions? options = null)
    {
        Options = options ?? new RunnerOptions();
        Models = new ModelCache(Options.ComputeDtype, new WeightHashCache(Options.HashCacheFolder));
    }

    /// <summary>The runner's settings.</summary>
    public RunnerOptions Options { get; }

    /// <summary>The loaded models.</summary>
    public ModelCache Models { get; }

    /// <summary>Loads models ahead of a run.</summary>
    public void Preload(params string[] models) => Models.Preload(models);

    /// <summary>Display names of the loaded models.</summary>
    public IReadOnlyList<string> ListLoaded() => Models.ListLoaded();

    /// <summary>Frees one model; false when it was not loaded.</summary>
    public bool Unload(string model) => Models.Unload(model);

    /// <summary>Frees every model.</summary>
    public void UnloadAll() => Models.UnloadAll();

    /// <summary>
    /// Generates the cases of one (length, hops) group: case i is drawn from <see cref="CaseSeeds.For"/>(seed, i), or,
    /// for the Python framework's generators, from <c>RandomState(seed + i)</c>, which for seed 0 is its runner's
    /// <c>RandomState(i)</c>, so the programs are the ones it ran.
    /// </summary>
    public static IReadOnlyList<TaskCase> GenerateCases(ExperimentConfig config, int seqLen, int? hops)
    {
        ArgumentNullException.ThrowIfNull(config);
        var generator = config.GeneratorFor(hops);
        if (generator is IRandomStateTaskGenerator python)
        {
            return [.. Enumerable.Range(0, config.SequencesPerLength)
                .Select(i => python.Generate(seqLen, new NumpyRandomState((long)config.Seed + i)))];
        }
        return [.. Enumerable.Range(0, config.SequencesPerLength)
            .Select(i => generator.Generate(seqLen, new DeterministicRng(CaseSeeds.For(config.Seed, i))))];
    }

    /// <summary>Runs <paramref name="config"/> on each of its models.</summary>
    /// <param name="config">What to run.</param>
    /// <param name="progress">Receives a report after every batch (e.g. a test's output).</param>
    /// <exception cref="Model.Loading.ModelNotFoundException">A model is missing and <see cref="RunnerOptions.ContinueOnModelError"/> is false.</exception>
    public ExperimentResult Run(ExperimentConfig config, IProgress<RunProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (Options.Threads is int threads) TorchRuntime.SetThreads(threads);
        var groups = config.Groups().ToList();
        // Cases do not depend on the model: generate (and render) once, score per model.
        var cases = groups.Select(g => GenerateCases(config, g.SeqLen, g.Hops)).ToList();
        var prompts = cases.Select(list => list.Select(c => config.Template.Render(c.Program, c.Metadata.QueryVariable).Text).ToList()).ToList();

        var results = new List<CaseResult>();
        var errors = new Dictionary<string, Exception>(StringComparer.Ordinal);
        var provenance = new List<ModelProvenance>();
        var inference = new Stopwatch();
        long tokens = 0;
        var models = config.Models.Select(ModelReference.Parse).ToList();
        int groupCount = groups.Count * models.Count, groupNumber = 0;
        foreach (var reference in models)
        {
            LoadedModel model;
            try
            {
                model = Models.Get(reference);
            }
            catch (Exception e) when (Options.ContinueOnModelError)
            {
                errors[reference.DisplayName] = e;
                groupNumber += groups.Count;
                continue;
            }
            if (Options.WriteFiles) provenance.Add(Models.Provenance(model));
            try
            {
                for (int g = 0; g < groups.Count; g++)
                {
                    groupNumber++;
                    var (seqLen, hops) = groups[g];
                    var groupTimer = Stopwatch.StartNew();
                    int correct = 0;
                    for (int start = 0; start < cases[g].Count; start += config.BatchSize)
                    {
                        int count = Math.Min(config.BatchSize, cases[g].Count - start);
                        inference.Start();
                        var completions = BatchCompletion.Run(model, prompts[g].GetRange(start, count), config.MaxNewTokens, config.BatchSize);
                        inference.Stop();
                        for (int k = 0; k < count; k++)
                        {
                            var record = Score(config, reference.DisplayName, seqLen, hops, start + k, cases[g][start + k], prompts[g][start + k], completions[k]);
                            tokens += completions[k].NewTokens;
                            if (record.Correct) correct++;
                            results.Add(record);
                        }
                        int done = start + count;
                        progress?.Report(new RunProgress(config.Name, reference.DisplayName, seqLen, hops, groupNumber, groupCount,
                            done, cases[g].Count, correct, done / Math.Max(groupTimer.Elapsed.TotalSeconds, 1e-9)));
                    }
                }
            }
            finally
            {
                if (!Options.CacheModels) Models.Unload(reference.Spec);
            }
        }

        var summary = AccuracySummary.Compute(config.Name, results, exactHops: config.Hops is not null,
            errors.ToDictionary(e => e.Key, e => e.Value.Message));
        var result = new ExperimentResult
        {
            Config = config, Cases = results, Summary = summary, ModelErrors = errors,
            InferenceTime = inference.Elapsed, GeneratedTokens = tokens, Provenance = provenance,
        };
        // A run in which no model ran has nothing to plot or summarise; its errors are in the result.
        return Options.WriteFiles && results.Count > 0
            ? result with { OutputFolder = ResultsWriter.Write(result, Options.ResultsRoot ?? RepositoryPaths.DefaultResultsRoot()) }
            : result;
    }

    private static CaseResult Score(ExperimentConfig config, string model, int seqLen, int? hops, int index, TaskCase task,
        string prompt, Completion completion)
    {
        string? predicted = config.Parser.Parse(completion.Text);
        return new CaseResult
        {
            Experiment = config.Name,
            Model = model,
            SeqLen = seqLen,
            // Reference-mode binding still has a depth per program; keep it so accuracy can be broken down by hops.
            Hops = hops ?? (task.Metadata as VariableBindingMetadata)?.ReferentialDepth
                ?? (task.Metadata as PythonVariableBindingMetadata)?.QueryHops,
            SeedId = index,
            Program = task.Program,
            Prompt = prompt,
            Expected = task.Expected,
            Predicted = predicted,
            Correct = predicted is not null && predicted == task.Expected,
            RawOutput = completion.Text,
            OutputIds = completion.Ids,
            Metadata = CaseResult.MetadataToJson(task.Metadata),
        };
    }

    /// <inheritdoc />
    public void Dispose() => Models.Dispose();
}
