using System.Globalization;
using Debug.Core.Training;

// `dotnet run -c Release --project Debug.Cli -- train-embedded [--out models/tiny] [--steps N] [--seed S] [--threads T]`
//      `dotnet run -c Release --project Debug.Cli -- plot-training-log training_log.csv training_log.png`
// Trains the embedded default model from scratch (or resumes from <out>/work) and writes the checkpoint and eval.json.
if (args is ["serve", ..]) return ServeCommand.Run(args[1..]);
if (args is ["plot-training-log", var csv, var png])
{
    Debug.Core.Reports.TrainingLogPlot.Write(csv, png);
    return 0;
}
if (args.Length == 0 || args[0] != "train-embedded")
{
    Console.Error.WriteLine("usage: Debug.Cli train-embedded [--out DIR] [--steps N] [--seed S] [--threads T] [--attention-loss W]");
    Console.Error.WriteLine("       Debug.Cli plot-training-log LOG.csv OUT.png");
    Console.Error.WriteLine("       " + ServeCommand.Usage);
    return 2;
}
var flags = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 1; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"bad argument '{args[i]}': expected --name value");
        return 2;
    }
    flags[args[i][2..]] = args[++i];
}
string Flag(string name, string fallback) => flags.Remove(name, out var v) ? v : fallback;
var defaults = new BindingTrainerOptions();
var options = defaults with
{
    Steps = int.Parse(Flag("steps", defaults.Steps.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
    Seed = long.Parse(Flag("seed", defaults.Seed.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
    Threads = int.Parse(Flag("threads", defaults.Threads.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
    AttentionLossWeight = double.Parse(Flag("attention-loss", defaults.AttentionLossWeight.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
};
string output = Flag("out", Path.Combine("models", "tiny"));
if (flags.Count > 0)
{
    Console.Error.WriteLine($"unknown option(s): {string.Join(", ", flags.Keys.Select(k => "--" + k))}");
    return 2;
}
Directory.CreateDirectory(output);
var eval = new BindingTrainer(options, output).Run()!;
Console.WriteLine("accuracy by hops: " + string.Join(" ", eval.Accuracy.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value:F3}")));
return 0;
