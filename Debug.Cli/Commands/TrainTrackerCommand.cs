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
        var secondSteps = CommonOptions.Int("--second-stage-steps", "Steps of the second stage (its own schedule and family mix); 0: none.",
            defaults.SecondStage?.Steps ?? 0, min: 0);
        var seed = new Option<long>("--seed") { Description = "Training seed.", DefaultValueFactory = _ => defaults.Seed };
        var threads = CommonOptions.Int("--threads", "libtorch threads (the second stage's own count, if it sets one, applies there).", defaults.Threads, min: 0);
        var batch = CommonOptions.Int("--batch", "Sequences per step.", defaults.BatchSize, min: 1);
        var hidden = CommonOptions.Int("--hidden", "Residual width (heads x head dim; MLP 3x).", defaults.Model.Hidden, min: 8);
        var layers = CommonOptions.Int("--layers", "Decoder layers.", defaults.Model.Layers, min: 1);
        var minutes = new Option<double?>("--time-limit-minutes") { Description = "Checkpoint and stop after this many minutes (run again to resume)." };
        var logEvery = CommonOptions.Int("--log-every", "Steps per training_log.csv row.", defaults.LogEvery, min: 1);
        var stopAt = new Option<int?>("--stop-at-step") { Description = "Checkpoint and stop at this step (run again to resume)." };
        var command = new Command("train-tracker", "Train the second embedded model on every accuracy family but binding, resuming from <out>/work.")
        {
            output, steps, secondSteps, seed, threads, batch, hidden, layers, minutes, stopAt, logEvery,
        };
        command.SetAction(p =>
        {
            int width = p.GetValue(hidden);
            if (width % defaults.Model.Heads != 0) throw new CliUsageException($"--hidden must be a multiple of {defaults.Model.Heads}, got {width}.");
            if (p.GetValue(minutes) is <= 0) throw new CliUsageException($"--time-limit-minutes must be positive, got {p.GetValue(minutes)}.");
            var options = defaults with
            {
                Steps = p.GetValue(steps),
                SecondStage = p.GetValue(secondSteps) is > 0 and int n ? (defaults.SecondStage ?? TrainingStage.TrackerRefinement) with { Steps = n } : null,
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
}
