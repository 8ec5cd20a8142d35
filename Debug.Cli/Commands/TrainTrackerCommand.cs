using System.CommandLine;
using Debug.Core.Training;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// <c>debug train-tracker</c>: trains the second embedded model (<c>tracker</c>) on the tracker families from scratch,
/// or resumes from <c>&lt;out&gt;/work</c>, and writes the checkpoint, eval.json and the training log.
/// </summary>
internal static class TrainTrackerCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var defaults = new FamilyTrainerOptions();
        var output = new Option<string>("--out") { Description = "Checkpoint folder.", DefaultValueFactory = _ => Path.Combine("models", "tracker") };
        var steps = CommonOptions.Int("--steps", "Steps of the first stage.", defaults.Steps, min: 1);
        var secondSteps = CommonOptions.Int("--second-stage-steps", "Steps of the second stage (its own schedule and family mix); 0: no later stage.",
            defaults.LaterStages[0].Steps, min: 0);
        var thirdSteps = CommonOptions.Int("--third-stage-steps", "Steps of the third stage (its own schedule and family mix); 0: none.",
            defaults.LaterStages[1].Steps, min: 0);
        var seed = new Option<long>("--seed") { Description = "Training seed.", DefaultValueFactory = _ => defaults.Seed };
        var threads = CommonOptions.Int("--threads", "libtorch threads (a later stage's own count, if it sets one, applies there).", defaults.Threads, min: 0);
        var batch = CommonOptions.Int("--batch", "Sequences per step.", defaults.BatchSize, min: 1);
        var hidden = CommonOptions.Int("--hidden", "Residual width (heads x head dim; MLP 3x).", defaults.Model.Hidden, min: 8);
        var layers = CommonOptions.Int("--layers", "Decoder layers.", defaults.Model.Layers, min: 1);
        var minutes = new Option<double?>("--time-limit-minutes") { Description = "Checkpoint and stop after this many minutes (run again to resume)." };
        var logEvery = CommonOptions.Int("--log-every", "Steps per training_log.csv row.", defaults.LogEvery, min: 1);
        var stopAt = new Option<int?>("--stop-at-step") { Description = "Checkpoint and stop at this step (run again to resume)." };
        var command = new Command("train-tracker", "Train the second embedded model on every accuracy family but binding, resuming from <out>/work.")
        {
            output, steps, secondSteps, thirdSteps, seed, threads, batch, hidden, layers, minutes, stopAt, logEvery,
        };
        command.SetAction(p =>
        {
            int width = p.GetValue(hidden);
            if (width % defaults.Model.Heads != 0) throw new CliUsageException($"--hidden must be a multiple of {defaults.Model.Heads}, got {width}.");
            if (p.GetValue(minutes) is <= 0) throw new CliUsageException($"--time-limit-minutes must be positive, got {p.GetValue(minutes)}.");
            var options = defaults with
            {
                Steps = p.GetValue(steps),
                LaterStages = LaterStages(defaults, p.GetValue(secondSteps), p.GetValue(thirdSteps)),
                Seed = p.GetValue(seed),
                Threads = p.GetValue(threads),
                BatchSize = p.GetValue(batch),
                StopAtStep = p.GetValue(stopAt),
                LogEvery = p.GetValue(logEvery),
                TimeLimit = p.GetValue(minutes) is double m ? TimeSpan.FromMinutes(m) : null,
                Model = defaults.Model with
                {
                    Hidden = width, Layers = p.GetValue(layers), HeadDim = width / defaults.Model.Heads, Intermediate = 3 * width,
                },
            };
            string folder = p.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var eval = new FamilyTrainer(options, folder).Run();
            if (eval is null)
            {
                console.WriteLine("stopped before the last step; run the same command again to resume");
                return ExitCodes.Ok;
            }
            foreach (var (family, byLength) in eval.Accuracy)
                console.WriteLine($"{family}: " + string.Join(" ", byLength.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value:F3}")));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The later stages the step options ask for: a third stage continues the second, so without a second there is no third.</summary>
    internal static IReadOnlyList<TrainingStage> LaterStages(FamilyTrainerOptions defaults, int second, int third)
    {
        if (second == 0) return [];
        var stages = new List<TrainingStage> { defaults.LaterStages[0] with { Steps = second } };
        if (third > 0) stages.Add(defaults.LaterStages[1] with { Steps = third });
        return stages;
    }
}
