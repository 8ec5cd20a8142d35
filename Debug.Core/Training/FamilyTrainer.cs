using System.Diagnostics;
using System.Globalization;
using Debug.Core.Experiments;
using Debug.Core.Model;
using Debug.Core.Reports;
using Debug.Core.Serialization;
using Debug.Core.Tasks;
using Debug.Core.Tokenization;
using static TorchSharp.torch;

namespace Debug.Core.Training;

/// <summary>
/// Trains <c>tracker</c>, the second embedded model, on the tracker families (<see cref="TrackerFamilies"/>): prompts
/// exactly as the suite renders them, loss on the answer tokens only, no supervision of anything internal. Same
/// model code, optimizer and checkpointing as <see cref="BindingTrainer"/>; the tokenizer is a BPE vocabulary learned
/// first from the families' prompts (<see cref="LearnedBpeVocabulary"/>). Resumes from <c>work/</c> automatically.
/// </summary>
public sealed class FamilyTrainer(FamilyTrainerOptions options, string outputFolder, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? Console.WriteLine;
    private readonly TrainingCheckpoint _checkpoint = new(Path.Combine(outputFolder, "work"));
    private string LogPath => Path.Combine(outputFolder, "training_log.csv");
    private readonly IReadOnlyList<TrainingFamily> _families = options.Families is null ? TrackerFamilies.All : [.. options.Families.Select(TrackerFamilies.Get)];

    /// <summary>
    /// Runs (or resumes) training, then writes the final checkpoint, eval.json, eval_errors.json and the log plot into
    /// the output folder. Returns null when <see cref="FamilyTrainerOptions.StopAtStep"/> or
    /// <see cref="FamilyTrainerOptions.TimeLimit"/> stopped it early (resume by running again).
    /// </summary>
    public FamilyEvaluationResult? Run()
    {
        // Checked before anything is written: a misspelt family would otherwise keep its first-stage weight silently.
        var known = TrackerFamilies.All.Select(f => f.Name).ToList();
        for (int i = 0; i < options.LaterStages.Count; i++)
            if (options.LaterStages[i].Weights.Keys.Except(known).ToList() is [_, ..] unknown)
                throw new ArgumentException($"LaterStages[{i}].Weights names no tracker family: {string.Join(", ", unknown)}; known: {string.Join(", ", known)}.", nameof(options));
        TorchRuntime.SetThreads(options.Threads);
        long startStep = PrepareWorkFolder();
        var tokenizer = ModelTokenizer.FromFolder(_checkpoint.Folder);
        int endOfText = tokenizer.EosId ?? throw new InvalidDataException($"{_checkpoint.Folder}: the tokenizer has no end-of-text token");
        var data = new FamilyTrainingData(_families, tokenizer, endOfText);
        var laterData = options.LaterStages
            .Select(stage => new FamilyTrainingData([.. _families.Select(f => f with { Weight = stage.Weights.GetValueOrDefault(f.Name, f.Weight) })], tokenizer, endOfText))
            .ToList();
        using var model = CausalLanguageModel.Load(_checkpoint.Folder, ScalarType.Float32);
        var weights = model.NamedWeights;
        foreach (var w in weights.Values) w.requires_grad_(true);
        using var adam = new AdamW(weights);
        if (startStep > 0) _checkpoint.LoadOptimizer(adam, startStep);
        _log($"training from step {startStep} to {options.TotalSteps} (stages of {string.Join(" + ", options.LaterStages.Select(st => st.Steps).Prepend(options.Steps))} steps); {weights.Values.Sum(w => w.numel())} parameters, vocabulary {model.Config.VocabSize}");

        var clock = Stopwatch.StartNew();
        var sinceCheckpoint = Stopwatch.StartNew();
        double lossSum = 0, tokenSum = 0;
        var dataClock = new Stopwatch();
        int window = 0;
        int threads = options.Threads;
        for (long step = startStep + 1; step <= options.TotalSteps; step++)
        {
            var (stageIndex, stageStep) = StageAt(step);
            var stage = stageIndex < 0 ? null : options.LaterStages[stageIndex];
            int stageThreads = stage?.Threads ?? options.Threads;
            if (stageThreads != threads) TorchRuntime.SetThreads(threads = stageThreads);
            double lr = stage is null
                ? LearningRateSchedule.Cosine(stageStep, options.LearningRate, options.WarmupSteps, options.Steps, options.MinLearningRateRatio)
                : LearningRateSchedule.Cosine(stageStep, stage.LearningRate, stage.WarmupSteps, stage.Steps, options.MinLearningRateRatio);
            int maxLength = CurriculumLength(step);
            var rng = new DeterministicRng(Mix((ulong)options.Seed, (ulong)step));
            var stageData = stage is null ? data : laterData[stageIndex];
            dataClock.Start();
            var batch = Enumerable.Range(0, options.BatchSize).Select(_ => stageData.Next(rng, maxLength).Sequence).ToList();
            dataClock.Stop();
            model.GradientsEnabled = true;
            using (var scope = NewDisposeScope())
            {
                var (loss, _) = AnswerTokenLoss.Forward(model, batch, endOfText);
                loss.backward();
                lossSum += loss.item<float>();
            }
            model.GradientsEnabled = false;
            adam.ClipGradients(options.GradientClip);
            adam.Update(lr, options.WeightDecay);
            adam.ZeroGradients();
            tokenSum += batch.Sum(s => s.Tokens.Length);
            window++;

            bool evalNow = step % options.EvalEvery == 0 || step == options.TotalSteps;
            if (step % options.LogEvery == 0 || evalNow)
            {
                Dictionary<string, Dictionary<int, double>>? accuracy = null;
                if (evalNow) accuracy = FamilyEvaluation.TeacherForced(model, data, _families, options.EvalCasesPerLength, endOfText);
                AppendLog(step, lossSum / window, lr, maxLength, (step - startStep) / clock.Elapsed.TotalSeconds, tokenSum / window / options.BatchSize,
                    dataClock.Elapsed.TotalSeconds / clock.Elapsed.TotalSeconds, accuracy);
                lossSum = tokenSum = 0;
                window = 0;
            }
            bool stopping = step == options.StopAtStep || (options.TimeLimit is { } limit && clock.Elapsed >= limit);
            if (sinceCheckpoint.Elapsed >= options.CheckpointEvery || step == options.TotalSteps || stopping)
            {
                _checkpoint.Save(model, adam, step, DebugJson.ToNode(options)!);
                sinceCheckpoint.Restart();
            }
            if (stopping && step < options.TotalSteps)
            {
                _log($"stopped at step {step}; run again to resume");
                return null;
            }
        }
        return Finish();
    }

    /// <summary>
    /// The index into <see cref="FamilyTrainerOptions.LaterStages"/> of the stage a (1-based) step belongs to (-1: the
    /// first stage) and the step's number within its stage: each stage warms up and decays on its own steps, so no
    /// stage's schedule depends on the stages after it.
    /// </summary>
    private (int Index, long StageStep) StageAt(long step)
    {
        long start = options.Steps;
        if (step <= start) return (-1, step);
        for (int i = 0; i < options.LaterStages.Count; i++)
        {
            if (step <= start + options.LaterStages[i].Steps) return (i, step - start);
            start += options.LaterStages[i].Steps;
        }
        throw new ArgumentOutOfRangeException(nameof(step), step, $"past the last stage (total {options.TotalSteps} steps)");
    }

    private int CurriculumLength(long step)
    {
        int longest = _families.Max(f => f.Lengths.Max());
        double progress = Math.Min(1, step / (options.CurriculumFullAt * options.Steps));
        return (int)Math.Round(options.CurriculumStartLength + (longest - options.CurriculumStartLength) * progress);
    }

    /// <summary>SplitMix-style mixing so that batch seeds of neighbouring steps are unrelated.</summary>
    private static ulong Mix(ulong seed, ulong step) => new DeterministicRng(seed * 0x9E3779B97F4A7C15UL ^ step).NextUInt64();

    private long PrepareWorkFolder()
    {
        if (_checkpoint.SavedStep is long step)
        {
            _log($"resuming from {_checkpoint.Folder} at step {step}");
            return step;
        }
        var vocabulary = LearnedBpeVocabulary.Learn(TokenizerCorpus(), options.MaxMerges);
        _log($"learned {vocabulary.Merges.Count} merges");
        options.Model.WriteInitialCheckpoint(_checkpoint.Folder, options.Seed, vocabulary);
        if (File.Exists(LogPath)) File.Delete(LogPath);
        return 0;
    }

    /// <summary>The tokenizer's corpus: 20 training-seed prompts with answers per (family, length), fixed by the families alone.</summary>
    private IEnumerable<string> TokenizerCorpus()
    {
        foreach (var family in _families)
            foreach (int length in family.Lengths)
                for (int i = 0; i < 20; i++)
                {
                    var task = family.Generator.Generate(length, new Tasks.PythonCompat.NumpyRandomState(FamilyTrainingData.TrainSeedBase + i));
                    yield return family.Template.Render(task.Program, task.Metadata.QueryVariable).Text + task.Expected;
                }
    }

    private void AppendLog(long step, double loss, double lr, int maxLength, double stepsPerSecond, double tokensPerRow, double dataShare,
        Dictionary<string, Dictionary<int, double>>? accuracy)
    {
        if (!File.Exists(LogPath))
            File.WriteAllText(LogPath, "step,answer_loss,lr,max_length,steps_per_s,tokens_per_row,data_time_share," + string.Join(",", _families.Select(f => "acc_" + f.Name)) + "\n");
        string acc = string.Join(",", _families.Select(f => accuracy is null ? "" :
            accuracy[f.Name].Values.Average().ToString("F4", CultureInfo.InvariantCulture)));
        string line = string.Create(CultureInfo.InvariantCulture, $"{step},{loss:F5},{lr:E3},{maxLength},{stepsPerSecond:F2},{tokensPerRow:F1},{dataShare:F3},{acc}");
        File.AppendAllText(LogPath, line + "\n");
        _log(line);
        if (accuracy is not null)
            foreach (var f in _families)
                _log($"  {f.Name}: " + string.Join(" ", accuracy[f.Name].Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}:{p.Value:F2}"))));
    }

    private FamilyEvaluationResult Finish()
    {
        _checkpoint.Publish(outputFolder);
        using var model = LoadedModel.Load(ModelReference.Parse(Path.GetFullPath(outputFolder)), ScalarType.Float32, CPU);
        var eval = FamilyEvaluation.Greedy(model, _families, options.FinalEvalCasesPerLength, _log);
        AtomicFile.WriteAllText(Path.Combine(outputFolder, "eval.json"), DebugJson.Write(eval.ToJson()));
        var errors = new System.Text.Json.Nodes.JsonArray([.. eval.Errors.Select(e => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject
        {
            ["family"] = e.Family, ["length"] = e.Length, ["seed"] = e.Seed, ["expected"] = e.Expected,
            ["predicted"] = e.Predicted, ["completion"] = e.Completion,
        })]);
        AtomicFile.WriteAllText(Path.Combine(outputFolder, "eval_errors.json"), DebugJson.Write(errors));
        TrainingLogPlot.Write(LogPath, Path.Combine(outputFolder, "training_log.png"));
        return eval;
    }
}
