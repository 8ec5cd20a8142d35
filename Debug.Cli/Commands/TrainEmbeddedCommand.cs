using System.CommandLine;
using Debug.Core.Training;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// <c>debug train-embedded</c>: trains the embedded default model from scratch (or resumes from <c>&lt;out&gt;/work</c>)
/// and writes the checkpoint and eval.json.
/// </summary>
internal static class TrainEmbeddedCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var defaults = new BindingTrainerOptions();
        var output = new Option<string>("--out") { Description = "Checkpoint folder.", DefaultValueFactory = _ => Path.Combine("models", "tiny") };
        var steps = CommonOptions.Int("--steps", "Training steps.", defaults.Steps, min: 1);
        var seed = new Option<long>("--seed") { Description = "Training seed.", DefaultValueFactory = _ => defaults.Seed };
        var threads = CommonOptions.Int("--threads", "libtorch threads.", defaults.Threads, min: 0);
        var attention = new Option<double>("--attention-loss") { Description = "Weight of the attention supervision loss.", DefaultValueFactory = _ => defaults.AttentionLossWeight };
        var command = new Command("train-embedded", "Train the embedded default model (about 30 min on 2 cores), resuming from <out>/work.")
        {
            output, steps, seed, threads, attention,
        };
        command.SetAction(p =>
        {
            if (p.GetValue(attention) < 0) throw new CliUsageException($"--attention-loss must be 0 or more, got {p.GetValue(attention)}.");
            var options = defaults with
            {
                Steps = p.GetValue(steps),
                Seed = p.GetValue(seed),
                Threads = p.GetValue(threads),
                AttentionLossWeight = p.GetValue(attention),
            };
            string folder = p.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var eval = new BindingTrainer(options, folder).Run()!;
            console.WriteLine("accuracy by hops: " + string.Join(" ", eval.Accuracy.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value:F3}")));
            return ExitCodes.Ok;
        });
        return command;
    }
}
