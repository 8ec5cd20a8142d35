using System.CommandLine;
using System.Globalization;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Gates;
using Debug.Core.Experiments.Sharding;
using Debug.Core.Prompts;
using Debug.Core.Reports;
using Debug.Core.Tasks;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// <c>debug eval</c>: accuracy of one or more task families × models × lengths (× exact hops), like the Python
/// framework's <c>quick_experiment</c> and <c>run_experiments_accuracy.sh</c>. Writes a run folder and prints the gate
/// table; exit 1 when a gate fails.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var tasks = new Option<string[]>("--task", "-t")
        {
            Description = "Task families (generator names).",
            AllowMultipleArgumentsPerToken = true,
            Required = true,
        };
        tasks.AcceptOnlyFromAmong([.. TaskGenerators.All.Select(g => g.Name).Distinct()]);
        var models = CommonOptions.Models();
        var seqLens = CommonOptions.IntList("--seq-len", "Program lengths.", [5]);
        var hops = CommonOptions.IntList("--hops", "Exact referential depths (variable_binding only; default: the generator's own distribution).", []);
        var cases = CommonOptions.Int("--cases", "Programs per (model, length, hops) group.", 20, min: 1);
        cases.Aliases.Add("-n");
        var template = new Option<string?>("--template") { Description = "Prompt template (default: the family's own)." };
        template.AcceptOnlyFromAmong([.. PromptTemplates.All.Select(t => t.Name)]);
        var parser = new Option<string?>("--parser") { Description = "Answer parser (default: the family's own)." };
        parser.AcceptOnlyFromAmong(AnswerParser.Integer.Name, AnswerParser.Boolean.Name, AnswerParser.VariableBinding.Name);
        var seed = CommonOptions.ULong("--seed", "Experiment seed (case i of a group uses a seed derived from it and i).", 0);
        var maxTokens = CommonOptions.Int("--max-new-tokens", "Generation budget per case.", ExperimentConfig.DefaultMaxNewTokens, min: 1);
        var batch = CommonOptions.Int("--batch-size", "Prompts per forward batch.", 16, min: 1);
        var thresholds = new Option<FileInfo>("--thresholds") { Description = "thresholds.json to gate on (default: the repository's Debug.Experiments/thresholds.json, if found)." };
        thresholds.AcceptExistingOnly();
        var results = CommonOptions.Results();
        var runId = CommonOptions.RunId();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var (bestOf, temperature) = CommonOptions.Sampling();

        var command = new Command("eval", "Accuracy of task families on models; writes a run folder and prints the gate table.")
        {
            tasks, models, seqLens, hops, cases, template, parser, seed, maxTokens, batch, thresholds, results, runId, threads, device, bestOf, temperature,
        };
        command.SetAction(p =>
        {
            // Unlike the suite, the CLI requires no model to have every experiment listed: an unlisted group is not gated.
            var gate = new AccuracyGate(LoadThresholds(p.GetValue(thresholds)), requiredModels: []);
            var configs = p.GetValue(tasks)!.Select(name => Config(name, p.GetValue(models)!, p.GetValue(seqLens)!, p.GetValue(hops)!,
                p.GetValue(cases), p.GetValue(template), p.GetValue(parser), p.GetValue(seed), p.GetValue(maxTokens), p.GetValue(batch))
                with { BestOf = p.GetValue(bestOf), Temperature = p.GetValue(temperature) }).ToList();
            foreach (var config in configs) ValidateSampling(config);
            var onDevice = CommonOptions.DeviceOf(p, device);
            // DEBUG_SHARD=k/n (or a Slurm array task, or an Indexed Job pod): this process runs its part of the groups.
            ShardSpec spec;
            try
            {
                spec = ShardSpec.Current();
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.Message);
            }
            var shards = GroupShards.For(spec, configs);
            var settings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["tasks"] = string.Join(",", configs.Select(c => c.Name)),
                ["models"] = string.Join(";", p.GetValue(models)!),
                ["seq lens"] = string.Join(",", p.GetValue(seqLens)!),
                ["hops"] = p.GetValue(hops)!.Length == 0 ? "generator's distribution" : string.Join(",", p.GetValue(hops)!),
                ["cases per group"] = p.GetValue(cases).ToString(CultureInfo.InvariantCulture),
                ["seed"] = p.GetValue(seed).ToString(CultureInfo.InvariantCulture),
                ["thresholds"] = gate.Table.Source,
                ["torch threads"] = p.GetValue(threads).ToString(CultureInfo.InvariantCulture),
                ["device"] = p.GetValue(device) ?? "default",
                ["best of"] = p.GetValue(bestOf).ToString(CultureInfo.InvariantCulture),
                ["temperature"] = p.GetValue(temperature).ToString(CultureInfo.InvariantCulture),
            };
            if (spec.IsSharded) settings["shard"] = spec.ToString();
            foreach (var (name, hash) in CheckpointHash.Settings(p.GetValue(models)!)) settings[name] = hash;
            var run = RunFolder.Create("debug eval", CommonOptions.ResultsRoot(p.GetValue(results)), settings, p.GetValue(runId));
            return FailedRun.Guard(run, console, () => Evaluate(run, configs, shards, gate, onDevice, p.GetValue(threads), console));
        });
        return command;
    }

    // Runs every configuration into the run folder, prints the gate table; the exit code says what failed.
    private static int Evaluate(RunFolder run, List<ExperimentConfig> configs, GroupShards shards, AccuracyGate gate,
        TorchSharp.torch.Device? device, int threads, IAnsiConsole console)
    {
        using var runner = new ExperimentRunner(new RunnerOptions { ResultsRoot = run.Path, ContinueOnModelError = true, Threads = threads, Device = device });
        var missing = new List<string>();
        ConsoleProgress.Run(console, "eval", report =>
        {
            foreach (var config in configs)
            {
                // Each finished group is saved in <run>/<experiment>/groups/: the same run id resumes a killed run.
                var result = runner.Run(config, ConsoleProgress.ForRunner(report), shards.Scope(config, Path.Combine(run.Path, config.Name)));
                string? folder = result.OutputFolder is null ? null : run.Relative(result.OutputFolder);
                foreach (var reference in config.Models.Select(ModelReference.Parse))
                {
                    string model = reference.DisplayName;
                    if (result.ModelErrors.TryGetValue(model, out var error))
                    {
                        missing.Add($"{model}: {error.Message}");
                        foreach (var (len, h) in config.Groups().Where(g => shards.IsMine(config.Name, new GroupKey(model, g.SeqLen, g.Hops))))
                            run.AddGate(new GateRow(model, config.Name, GateRow.GroupName(len, h), len, h, 0, 0, 0, 0, 0, null, GateRow.Failed, folder));
                        continue;
                    }
                    foreach (var (len, h) in config.Groups().Where(g => shards.IsMine(config.Name, new GroupKey(model, g.SeqLen, g.Hops))))
                    {
                        var group = result.Group(model, len, h);
                        run.AddGate(GateRow.From(model, config.Name, len, h, group, gate.Evaluate(model, config.Name, len, h, group), folder));
                    }
                }
            }
            return 0;
        });
        run.Complete();
        GateTable.Write(console, run.Gates);
        foreach (string line in missing.Distinct()) console.MarkupLine("[red]" + Markup.Escape(line) + "[/]");
        console.WriteLine($"run folder: {run.Path}");
        console.WriteLine($"page: {Path.Combine(run.Path, RunFolder.IndexFile)}");
        return missing.Count > 0 ? ExitCodes.MissingModel : run.Gates.Any(g => g.IsFailure) ? ExitCodes.Failed : ExitCodes.Ok;
    }

    // Best-of-k at temperature 0 would repeat one greedy completion k times: refused by name, before anything loads.
    private static void ValidateSampling(ExperimentConfig config)
    {
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--best-of {config.BestOf} --temperature {config.Temperature.ToString(CultureInfo.InvariantCulture)}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    /// <summary>The experiment for one family: the suite's name, template and parser for it unless given.</summary>
    internal static ExperimentConfig Config(string task, string[] models, int[] seqLens, int[] hops, int cases, string? template,
        string? parser, ulong seed, int maxNewTokens, int batchSize)
    {
        var generator = TaskGenerators.Get(task);
        bool binding = task == "variable_binding";
        if (hops.Length > 0 && !binding) throw new CliUsageException($"--hops applies to variable_binding only, not to '{task}'.");
        if (hops.Length > 0 && !hops.Any(h => seqLens.Any(l => h <= l)))
            throw new CliUsageException($"--hops {string.Join(",", hops)}: every value exceeds every --seq-len ({string.Join(",", seqLens)}).");
        var config = new ExperimentConfig
        {
            Name = hops.Length > 0 ? "variable_binding_hops" : task == "range_loop" ? "range_tracking" : task,
            Template = template is null ? DefaultTemplate(task) : PromptTemplates.Get(template),
            Generator = generator,
            Parser = parser switch
            {
                null => ExperimentConfig.DefaultParser(generator),
                "boolean" => AnswerParser.Boolean,
                "variable_binding" => AnswerParser.VariableBinding,
                _ => AnswerParser.Integer,
            },
            Models = models,
            SequencesPerLength = cases,
            SeqLens = seqLens,
            Hops = hops.Length > 0 ? hops : null,
            Seed = seed,
            MaxNewTokens = maxNewTokens,
            BatchSize = batchSize,
        };
        config.Validate();
        return config;
    }

    // The templates of the experiment suite (Debug.Experiments' definitions) for each family.
    private static PromptTemplate DefaultTemplate(string task) => task switch
    {
        "range_loop" => PromptTemplates.RangeTracking,
        "variable_increments" => PromptTemplates.EntityTracking,
        "exception_handling" => PromptTemplates.ExceptionHandling,
        "boolean_logic" => PromptTemplates.BooleanLogic,
        _ when task.StartsWith("variable_binding", StringComparison.Ordinal) => PromptTemplates.VariableBinding,
        _ => PromptTemplates.Minimal,
    };

    private static ThresholdTable LoadThresholds(FileInfo? file)
    {
        string? path = file?.FullName;
        if (path is null && RepositoryPaths.FindRoot() is string root)
        {
            string candidate = Path.Combine(root, "Debug.Experiments", "thresholds.json");
            if (File.Exists(candidate)) path = candidate;
        }
        return path is null
            ? ThresholdTable.Parse("""{ "thresholds": {} }""", "(no thresholds.json)")
            : ThresholdTable.Parse(File.ReadAllText(path), path);
    }
}
