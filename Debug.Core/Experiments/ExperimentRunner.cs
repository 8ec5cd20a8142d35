using System.Diagnostics;
using Debug.Core.Reports;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tasks.PythonCompat.Generators;

namespace Debug.Core.Experiments;

/// <summary>
/// Runs accuracy experiments: generates each group's seeded cases, completes them (greedily by default; best-of-k
/// sampling with <see cref="ExperimentConfig.BestOf"/>) in process in left-padded batches or through an endpoint,
/// parses and scores the answers, and writes results.json, summary.json, results_summary.csv and
/// accuracy_plot.png to a fresh folder. Holds a <see cref="ModelCache"/> so consecutive runs share loaded models.
/// </summary>
public sealed class ExperimentRunner : IDisposable
{
    /// <summary>Creates a runner.</summary>
    public ExperimentRunner(RunnerOptions? options = null)
    {
        Options = options ?? new RunnerOptions();
        Models = new ModelCache(Options.ComputeDtype, Options.Device, new WeightHashCache(Options.HashCacheFolder));
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
    /// <param name="scope">
    /// Part of the groups (a shard) and a fixed folder that saves finished groups and resumes from them; null runs
    /// every group into a new folder.
    /// </param>
    /// <exception cref="Model.Loading.ModelNotFoundException">A model is missing and <see cref="RunnerOptions.ContinueOnModelError"/> is false.</exception>
    /// <exception cref="InvalidDataException">A saved group in <see cref="RunScope.Folder"/> was written with other settings.</exception>
    /// <exception cref="ExperimentRunException">A model failed mid-run and <see cref="RunnerOptions.ContinueOnModelError"/> is
    /// false; the completed groups were written first and are in its <see cref="ExperimentRunException.PartialResult"/>.</exception>
    public ExperimentResult Run(ExperimentConfig config, IProgress<RunProgress>? progress = null, RunScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (Options.Threads is int threads) TorchRuntime.SetThreads(threads);
        var groups = config.Groups().ToList();
        var models = config.Models.Select(ModelReference.Parse).ToList();
        bool Included(ModelReference m, (int SeqLen, int? Hops) g) => scope?.Include?.Invoke(new GroupKey(m.DisplayName, g.SeqLen, g.Hops)) ?? true;
        var checkpoints = scope?.Folder is string folder ? new Resume.GroupCheckpoints(folder) : null;
        // Cases do not depend on the model: generate (and render) once per group that some model runs, score per model.
        var needed = Enumerable.Range(0, groups.Count).Where(g => models.Any(m => Included(m, groups[g]))).ToHashSet();
        var cases = groups.Select((g, i) => needed.Contains(i) ? GenerateCases(config, g.SeqLen, g.Hops) : []).ToList();
        var prompts = cases.Select(list => list.Select(c => config.Template.Render(c.Program, c.Metadata.QueryVariable).Text).ToList()).ToList();

        var results = new List<CaseResult>();
        var errors = new Dictionary<string, Exception>(StringComparer.Ordinal);
        var provenance = new List<ModelProvenance>();
        var runs = new List<ModelRunInfo>();
        var inference = new Stopwatch();
        long tokens = 0;
        var request = new CompletionRequest(config.MaxNewTokens, config.BatchSize, config.Temperature);
        int groupCount = models.Sum(m => groups.Count(g => Included(m, g))), groupNumber = 0;
        ExperimentRunException? failure = null;
        foreach (var reference in models)
        {
            var mine = Enumerable.Range(0, groups.Count).Where(g => Included(reference, groups[g])).ToList();
            var saved = mine.ToDictionary(g => g, g => checkpoints?.TryLoad(config, Key(reference, groups[g])));
            if (mine.Count == 0) continue;
            ICompletionBackend? backend = null;
            if (saved.Values.Any(s => s is null))
            {
                try
                {
                    backend = OpenBackend(reference);
                }
                catch (Exception e) when (Options.ContinueOnModelError)
                {
                    errors[reference.DisplayName] = e;
                    groupNumber += mine.Count;
                    continue;
                }
                runs.Add(backend.Describe(request, config.BestOf));
            }
            // A fully resumed model is loaded only for its provenance, so a resumed run writes the same provenance.json.
            if (Options.WriteFiles && !reference.IsEndpoint) provenance.Add(Models.Provenance(Models.Get(reference)));
            int groupsDone = 0;
            try
            {
                foreach (int g in mine)
                {
                    groupNumber++;
                    if (saved[g] is { } done)
                    {
                        results.AddRange(done);
                        groupsDone++;
                        continue;
                    }
                    // A group's records join the results only when the whole group is done: a run that fails mid-way
                    // keeps complete groups, whose accuracies mean what they say.
                    var groupCases = RunGroup(config, backend!, request, reference.DisplayName, groups[g], cases[g], prompts[g], inference, ref tokens,
                        (done, correct, rate) => progress?.Report(new RunProgress(config.Name, reference.DisplayName, groups[g].SeqLen, groups[g].Hops,
                            groupNumber, groupCount, done, cases[g].Count, correct, rate)));
                    checkpoints?.Save(config, Key(reference, groups[g]), groupCases);
                    results.AddRange(groupCases);
                    groupsDone++;
                }
            }
            // A cancelled run and a saved group of other settings are not model failures: they propagate as they are.
            catch (Exception e) when (e is not OutOfMemoryException and not InvalidDataException and not OperationCanceledException)
            {
                if (inference.IsRunning) inference.Stop();
                errors[reference.DisplayName] = e;
                groupNumber += mine.Count - groupsDone - 1;
                if (!Options.ContinueOnModelError)
                {
                    failure = new ExperimentRunException(reference.DisplayName, groupsDone, e);
                    break;
                }
            }
            finally
            {
                (backend as IDisposable)?.Dispose();
                if (!Options.CacheModels && !reference.IsEndpoint) Models.Unload(reference.Spec);
            }
        }

        var summary = AccuracySummary.Compute(config.Name, results, exactHops: config.Hops is not null,
            errors.ToDictionary(e => e.Key, e => e.Value.Message));
        var result = new ExperimentResult
        {
            Config = config, Cases = results, Summary = summary, ModelErrors = errors, ModelRuns = runs,
            InferenceTime = inference.Elapsed, GeneratedTokens = tokens, Provenance = provenance,
        };
        // A run in which no model ran has nothing to plot or summarise; its errors are in the result.
        if (Options.WriteFiles && results.Count > 0)
        {
            result = result with
            {
                OutputFolder = scope?.Folder is string fixedFolder
                    ? ResultsWriter.WriteInto(fixedFolder, result)
                    : ResultsWriter.Write(result, Options.ResultsRoot ?? RepositoryPaths.DefaultResultsRoot()),
            };
        }
        if (failure is not null) throw failure.WithPartialResult(result);
        return result;
    }

    private static GroupKey Key(ModelReference model, (int SeqLen, int? Hops) group) => new(model.DisplayName, group.SeqLen, group.Hops);

    // One group's cases, completed in batches (each batch once per best-of sample), with a progress report after each batch.
    private static List<CaseResult> RunGroup(ExperimentConfig config, ICompletionBackend backend, CompletionRequest request, string displayName,
        (int SeqLen, int? Hops) group, IReadOnlyList<TaskCase> cases, List<string> prompts, Stopwatch inference, ref long tokens,
        Action<int, int, double> report)
    {
        var groupTimer = Stopwatch.StartNew();
        var records = new List<CaseResult>(cases.Count);
        int correct = 0;
        for (int start = 0; start < cases.Count; start += config.BatchSize)
        {
            int count = Math.Min(config.BatchSize, cases.Count - start);
            inference.Start();
            var samples = Sample(backend, config, request, prompts, start, count);
            inference.Stop();
            for (int k = 0; k < count; k++)
            {
                var drawn = samples.Select(x => x[k]).ToList();
                var record = Score(config, displayName, group.SeqLen, group.Hops, start + k, cases[start + k], prompts[start + k], drawn);
                tokens += drawn.Sum(c => (long)c.NewTokens);
                if (record.Correct) correct++;
                records.Add(record);
            }
            int done = start + count;
            report(done, correct, done / Math.Max(groupTimer.Elapsed.TotalSeconds, 1e-9));
        }
        return records;
    }

    // In-process models come from the shared cache; an endpoint gets a client for this run only.
    private ICompletionBackend OpenBackend(ModelReference reference) =>
        reference.Endpoint is { } endpoint
            ? new Endpoints.EndpointModel(endpoint, Options.Endpoint)
            : new InProcessBackend(Models.Get(reference));

    // One completion list per sample; sample j of case i draws from a seed of (case seed, j), so best-of-k results
    // do not depend on the batch size, the backend's batching or the order requests come back in.
    private static IReadOnlyList<Completion>[] Sample(ICompletionBackend backend, ExperimentConfig config, CompletionRequest request,
        List<string> prompts, int start, int count)
    {
        var batch = prompts.GetRange(start, count);
        if (config.Temperature == 0) return [backend.Complete(batch, request)];
        var samples = new IReadOnlyList<Completion>[config.BestOf];
        for (int j = 0; j < config.BestOf; j++)
        {
            int sample = j;
            // 63 bits: OpenAI's seed field is a signed 64-bit integer, and both backends must draw from the same seed.
            var seeds = Enumerable.Range(start, count).Select(i => CaseSeeds.For(CaseSeeds.For(config.Seed, i), sample) >> 1).ToList();
            samples[j] = backend.Complete(batch, request with { Seeds = seeds });
        }
        return samples;
    }

    // Best-of-k as the Python framework scores it: correct when any sample is, else the first sample that parses.
    private static CaseResult Score(ExperimentConfig config, string model, int seqLen, int? hops, int index, TaskCase task,
        string prompt, IReadOnlyList<Completion> samples)
    {
        var parsed = samples.Select(c => config.Parser.Parse(c.Text)).ToList();
        int chosen = parsed.FindIndex(p => p is not null && p == task.Expected);
        if (chosen < 0) chosen = Math.Max(0, parsed.FindIndex(p => p is not null));
        string? predicted = parsed[chosen];
        var completion = samples[chosen];
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
            Samples = samples.Count > 1 ? [.. samples.Select(c => c.Text)] : null,
        };
    }

    /// <inheritdoc />
    public void Dispose() => Models.Dispose();
}
