using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Debug.Core.Interventions;
using Debug.Core.Model;
using Debug.Core.Model.Loading;
using Debug.Core.Reports;
using Debug.Core.Serialization;
using Debug.Core.Tasks;
using static TorchSharp.torch;

namespace Debug.Core.Training;

/// <summary>
/// Trains the embedded model on variable binding through the same <see cref="CausalLanguageModel"/> code that runs
/// every checkpoint, so what is trained is exactly what is later evaluated and patched. Training state (weights,
/// optimizer moments, step) is checkpointed into <c>work/</c> every few minutes and resumed automatically.
/// </summary>
public sealed class BindingTrainer(BindingTrainerOptions options, string outputFolder, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? Console.WriteLine;
    private string Work => Path.Combine(outputFolder, "work");
    private string LogPath => Path.Combine(outputFolder, "training_log.csv");
    private readonly TrainingCheckpoint _checkpoint = new(Path.Combine(outputFolder, "work"));

    /// <summary>
    /// Runs (or resumes) training, then writes the final checkpoint and eval.json into the output folder. Returns
    /// null when <see cref="BindingTrainerOptions.StopAtStep"/> stopped it early.
    /// </summary>
    public BindingEvaluationResult? Run()
    {
        TorchRuntime.SetThreads(options.Threads);
        long startStep = PrepareWorkFolder();
        using var model = CausalLanguageModel.Load(Work, ScalarType.Float32);
        var weights = model.NamedWeights;
        foreach (var w in weights.Values) w.requires_grad_(true);
        using var adam = new AdamW(weights);
        if (startStep > 0) _checkpoint.LoadOptimizer(adam, startStep);
        _log($"training from step {startStep} to {options.Steps}; {weights.Values.Sum(w => w.numel())} parameters");

        var data = new BindingTrainingData { MaxQueries = options.QueriesPerProgram };
        var clock = Stopwatch.StartNew();
        var sinceCheckpoint = Stopwatch.StartNew();
        double lossSum = 0, attnSum = 0;
        int window = 0;
        for (long step = startStep + 1; step <= options.Steps; step++)
        {
            double lr = LearningRate(step);
            int maxLines = CurriculumLines(step);
            var rng = new DeterministicRng(Mix((ulong)options.Seed, (ulong)step));
            var batch = Enumerable.Range(0, options.BatchSize)
                .Select(_ => (data with { MaxLines = maxLines }).Next(rng)).ToList();
            model.GradientsEnabled = true;
            var (answerLoss, attentionLoss) = StepLosses(model, batch);
            model.GradientsEnabled = false;
            adam.ClipGradients(options.GradientClip);
            adam.Update(lr, options.WeightDecay);
            adam.ZeroGradients();
            lossSum += answerLoss;
            attnSum += attentionLoss;
            window++;

            bool evalNow = step % options.EvalEvery == 0 || step == options.Steps;
            if (step % 100 == 0 || evalNow)
            {
                string accuracy = "";
                if (evalNow)
                {
                    var eval = BindingEvaluation.Evaluate(model, options.EvalCasesPerHop);
                    accuracy = string.Join(",", Enumerable.Range(1, 4).Select(h => eval.Accuracy[h].ToString("F4", CultureInfo.InvariantCulture)));
                }
                AppendLog(step, lossSum / window, attnSum / window, lr, maxLines, (step - startStep) / clock.Elapsed.TotalSeconds, accuracy);
                lossSum = attnSum = 0;
                window = 0;
            }
            bool stopping = step == options.StopAtStep;
            if (sinceCheckpoint.Elapsed >= options.CheckpointEvery || step == options.Steps || stopping)
            {
                SaveState(model, adam, step);
                sinceCheckpoint.Restart();
            }
            if (stopping) return null;
        }
        return Finish(model);
    }

    private (double Answer, double Attention) StepLosses(CausalLanguageModel model, List<TrainingSequence> batch)
    {
        using var scope = NewDisposeScope();
        var probabilities = new List<Tensor>();
        HookSet? hooks = null;
        if (options.AttentionLossWeight > 0)
        {
            hooks = new HookSet();
            foreach (var layer in batch.SelectMany(s => s.Attention).Select(a => a.Layer).Distinct())
            {
                var targets = batch.SelectMany((s, row) => s.Attention.Where(a => a.Layer == layer).Select(a => (row, a))).ToList();
                var rows = tensor(targets.Select(p => (long)p.row).ToArray(), device: model.Device);
                var heads = tensor(targets.Select(p => (long)p.a.Head).ToArray(), device: model.Device);
                var queries = tensor(targets.Select(p => (long)p.a.Query).ToArray(), device: model.Device);
                var keys = tensor(targets.Select(p => (long)p.a.Key).ToArray(), device: model.Device);
                hooks.Observe(HookPoint.AttnPattern(layer), pattern =>
                    probabilities.Add(pattern.index(rows, heads, queries, keys).DetachFromDisposeScope()));
            }
        }
        try
        {
            var (answer, _) = AnswerTokenLoss.Forward(model, batch, EmbeddedVocabulary.EndOfText, hooks);
            var loss = answer;
            double attentionValue = 0;
            if (probabilities.Count > 0)
            {
                var attention = -cat(probabilities, 0).AtLeast(1e-6).log().mean();
                attentionValue = attention.item<float>();
                loss = loss.Plus(attention.Times(options.AttentionLossWeight));
            }
            loss.backward();
            return (answer.item<float>(), attentionValue);
        }
        finally
        {
            foreach (var p in probabilities) p.Dispose();
            hooks?.Dispose();
        }
    }

    private double LearningRate(long step) =>
        LearningRateSchedule.Cosine(step, options.LearningRate, options.WarmupSteps, options.Steps, options.MinLearningRateRatio);

    private int CurriculumLines(long step)
    {
        double progress = Math.Min(1, step / (options.CurriculumFullAt * options.Steps));
        return (int)Math.Round(options.CurriculumStartLines + (17 - options.CurriculumStartLines) * progress);
    }

    /// <summary>SplitMix-style mixing so that batch seeds of neighbouring steps are unrelated.</summary>
    private static ulong Mix(ulong seed, ulong step) => new DeterministicRng(seed * 0x9E3779B97F4A7C15UL ^ step).NextUInt64();

    private long PrepareWorkFolder()
    {
        if (_checkpoint.SavedStep is long step)
        {
            _log($"resuming from {Work} at step {step}");
            return step;
        }
        options.Model.WriteInitialCheckpoint(Work, options.Seed);
        if (File.Exists(LogPath)) File.Delete(LogPath);
        return 0;
    }

    private void SaveState(CausalLanguageModel model, AdamW adam, long step) => _checkpoint.Save(model, adam, step, DebugJson.ToNode(options)!);

    private void AppendLog(long step, double answerLoss, double attentionLoss, double lr, int maxLines, double stepsPerSecond, string accuracy)
    {
        if (!File.Exists(LogPath))
            File.WriteAllText(LogPath, "step,answer_loss,attention_loss,lr,max_lines,steps_per_s,acc_hop1,acc_hop2,acc_hop3,acc_hop4\n");
        string acc = accuracy.Length > 0 ? accuracy : ",,,";
        string line = string.Create(CultureInfo.InvariantCulture, $"{step},{answerLoss:F5},{attentionLoss:F5},{lr:E3},{maxLines},{stepsPerSecond:F2},{acc}");
        File.AppendAllText(LogPath, line + "\n");
        _log(line);
    }

    private BindingEvaluationResult Finish(CausalLanguageModel model)
    {
        _checkpoint.Publish(outputFolder);
        var eval = BindingEvaluation.Evaluate(model, options.FinalEvalCasesPerHop);
        AtomicFile.WriteAllText(Path.Combine(outputFolder, "eval.json"), DebugJson.Write(eval.ToJson()));
        TrainingLogPlot.Write(LogPath, Path.Combine(outputFolder, "training_log.png"));
        _log("final eval: " + eval.ToJson().ToJsonString());
        return eval;
    }
}
