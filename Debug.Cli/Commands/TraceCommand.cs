using System.CommandLine;
using System.Globalization;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Interventions;
using Debug.Core.Reports;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// <c>debug trace</c>: activation patching and attention knockout for one variable-binding program (exact-hops
/// generator at <c>--seed --hops --seq-len</c>) and its root-flipped twin, or for a program and its counterfactual read
/// from files (<c>--program --counterfactual --answer --counterfactual-answer</c>; no knockout: it needs the binding
/// chain), on each model. <c>--attribution</c> estimates the sweep kinds by attribution patching and checks the
/// strongest <c>--verify-top</c> cells with the exact engine (<see cref="VerifiedAttribution"/>). One subfolder per kind and
/// model in the run folder (the experiment suite's tracing files: records, aggregates, heatmaps, knockout bars).
/// </summary>
internal static class TraceCommand
{
    /// <summary>The kinds <c>--kinds</c> accepts, in run order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["resid-pre", "resid-post", "mlp", "heads", "knockout"];

    private const string ExactHops = "exact-hops";

    public static Command Create(IAnsiConsole console)
    {
        var models = CommonOptions.Models();
        var seed = CommonOptions.ULong("--seed", "Generator seed of the program.", 0);
        var hops = CommonOptions.Int("--hops", "Referential depth of the queried chain.", 2);
        var lines = CommonOptions.Int("--seq-len", "Program lines.", 5);
        var kinds = new Option<string[]>("--kinds")
        {
            Description = "What to run: resid-pre, resid-post and mlp (every token × layer), heads (every layer × head at the prediction), knockout.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [.. Kinds],
        };
        kinds.AcceptOnlyFromAmong([.. Kinds]);
        var generator = new Option<string>("--generator")
        {
            Description = $"Program generator: exact-hops (Debug's variable-binding generator at exact depth), or {PythonBindingTracingCase.GeneratorName} " +
                "(the Python framework's, RandomState(--seed), as its _08_full_layer_token_patching.py traces it; --hops, when given, must match the program's depth).",
            DefaultValueFactory = _ => ExactHops,
        };
        generator.AcceptOnlyFromAmong(ExactHops, PythonBindingTracingCase.GeneratorName);
        var program = new Option<FileInfo>("--program") { Description = "A prompt to trace, read from a file (instead of --seed --hops --seq-len)." };
        var counterfactual = new Option<FileInfo>("--counterfactual") { Description = "Its counterfactual prompt (same token count)." };
        program.AcceptExistingOnly();
        counterfactual.AcceptExistingOnly();
        var answer = new Option<string>("--answer") { Description = "What --program should make the model say next." };
        var cfAnswer = new Option<string>("--counterfactual-answer") { Description = "What --counterfactual should make it say." };
        var attribution = new Option<bool>("--attribution")
        {
            Description = "Estimate the sweep kinds by attribution patching (one forward and backward), then patch the strongest --verify-top cells exactly.",
        };
        var verifyTop = CommonOptions.Int("--verify-top", "With --attribution: how many of the strongest estimated cells the exact engine checks.", 10);
        var results = CommonOptions.Results();
        var runId = CommonOptions.RunId();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var command = new Command("trace", "Patching sweeps and attention knockout for one program and its counterfactual; writes heatmaps to a run folder.")
        {
            models, seed, hops, lines, kinds, generator, program, counterfactual, answer, cfAnswer, attribution, verifyTop, results, runId, threads, device,
        };
        command.SetAction(p =>
        {
            int h = p.GetValue(hops), l = p.GetValue(lines);
            ulong s = p.GetValue(seed);
            bool python = p.GetValue(generator) == PythonBindingTracingCase.GeneratorName;
            if ((!python || Given(p, hops)) && h > l) throw new CliUsageException($"--hops {h} exceeds --seq-len {l}: a chain needs a line per hop.");
            if (python && s > uint.MaxValue) throw new CliUsageException($"--seed {s}: {PythonBindingTracingCase.GeneratorName} seeds numpy's RandomState, which takes seeds below 2^32.");
            // The Python framework's script takes the depth from the program; a --hops given must agree with it.
            int? pythonHops = Given(p, hops) ? h : null;
            int? verify = p.GetValue(attribution) ? p.GetValue(verifyTop) : null;
            if (verify is null && Given(p, verifyTop)) throw new CliUsageException("--verify-top needs --attribution.");
            var files = FileMode(p, program, counterfactual, answer, cfAnswer, seed, hops);
            if (files is not null && Given(p, generator)) throw new CliUsageException("--generator picks a generated program; --program traces the given files. Give one or the other.");
            bool kindsGiven = Given(p, kinds);
            var selected = Kinds.Where(p.GetValue(kinds)!.Contains).Where(k => files is null || kindsGiven || k != "knockout").ToList();
            if (files is not null && selected.Contains("knockout"))
                throw new CliUsageException("--kinds knockout needs a generated binding program (its chain positions); not available with --program.");
            var onDevice = CommonOptions.DeviceOf(p, device);
            var run = RunFolder.Create("debug trace", CommonOptions.ResultsRoot(p.GetValue(results)), new Dictionary<string, string>
            {
                ["models"] = string.Join(";", p.GetValue(models)!),
                ["program"] = files is not null ? $"{files.Value.Program.FullName} vs {files.Value.Counterfactual.FullName}"
                    : python ? $"{PythonBindingTracingCase.GeneratorName} seed {s}, {l} lines" + (pythonHops is int ph ? $", hops {ph}" : "")
                    : $"exact-hops seed {s}, hops {h}, {l} lines",
                ["kinds"] = string.Join(",", selected),
                ["method"] = verify is { } k ? $"attribution patching, top {k} cells verified exactly" : "exact",
                ["torch threads"] = p.GetValue(threads).ToString(CultureInfo.InvariantCulture),
                ["device"] = p.GetValue(device) ?? "default",
            }, p.GetValue(runId));
            return FailedRun.Guard(run, console, () => Trace(p, console, run, onDevice));
        });
        return command;

        int Trace(ParseResult p, IAnsiConsole console, RunFolder run, TorchSharp.torch.Device? onDevice)
        {
            int h = p.GetValue(hops), l = p.GetValue(lines);
            ulong s = p.GetValue(seed);
            bool python = p.GetValue(generator) == PythonBindingTracingCase.GeneratorName;
            int? pythonHops = Given(p, hops) ? h : null;
            int? verify = p.GetValue(attribution) ? p.GetValue(verifyTop) : null;
            var files = FileMode(p, program, counterfactual, answer, cfAnswer, seed, hops);
            var selected = Kinds.Where(p.GetValue(kinds)!.Contains).Where(k => files is null || Given(p, kinds) || k != "knockout").ToList();
            if (p.GetValue(threads) > 0) Debug.Core.TorchRuntime.SetThreads(p.GetValue(threads));
            using var cache = new ModelCache(device: onDevice);
            var summary = new Table().AddColumns("model", "kind", "strongest cell", "normalised effect", "folder");
            ConsoleProgress.Run(console, "trace", report =>
            {
                foreach (var spec in p.GetValue(models)!)
                {
                    var reference = ModelReference.Parse(spec);
                    var loaded = cache.Get(reference);
                    run.AddModel(reference.DisplayName);
                    var c = files is { } f
                        ? TracePair.FromFiles(reference.DisplayName, loaded, f.Program, f.Counterfactual, f.Answer, f.CounterfactualAnswer)
                        : python ? TracePair.Python(reference.DisplayName, loaded, pythonHops, l, s)
                        : TracePair.Generated(reference.DisplayName, loaded, h, l, s);
                    console.WriteLine(c.Description);
                    string label = $"{reference.DisplayName} {c.Stem}";
                    for (int i = 0; i < selected.Count; i++)
                    {
                        report(label, i, selected.Count);
                        string folder = TracingResults.CreateRunFolder(run.Path, $"tracing_{selected[i].Replace("-", "", StringComparison.Ordinal)}_{Safe(reference.DisplayName)}_{c.Stem}", DateTime.UtcNow);
                        summary.AddRow(Row(reference.DisplayName, selected[i], loaded, c, folder, run, verify));
                    }
                    report(label, selected.Count, selected.Count);
                }
                return 0;
            });
            run.Complete();
            console.Write(summary);
            console.WriteLine($"run folder: {run.Path}");
            console.WriteLine($"page: {Path.Combine(run.Path, RunFolder.IndexFile)}");
            return ExitCodes.Ok;
        }
    }

    private static bool Given(ParseResult p, Option option) => p.GetResult(option) is System.CommandLine.Parsing.OptionResult { Implicit: false };

    private static (FileInfo Program, FileInfo Counterfactual, string Answer, string CounterfactualAnswer)? FileMode(ParseResult p,
        Option<FileInfo> program, Option<FileInfo> counterfactual, Option<string> answer, Option<string> cfAnswer, Option seed, Option hops)
    {
        Option[] together = [program, counterfactual, answer, cfAnswer];
        var given = together.Where(o => Given(p, o)).ToList();
        if (given.Count == 0) return null;
        if (given.Count < together.Length)
            throw new CliUsageException($"--program, --counterfactual, --answer and --counterfactual-answer go together; missing {string.Join(", ", together.Except(given).Select(o => o.Name))}.");
        if (Given(p, seed) || Given(p, hops))
            throw new CliUsageException("--program traces the given files; --seed and --hops pick a generated program instead. Give one or the other.");
        return (p.GetValue(program)!, p.GetValue(counterfactual)!, p.GetValue(answer)!, p.GetValue(cfAnswer)!);
    }

    private static string[] Row(string model, string kind, LoadedModel loaded, TracePair c, string folder, RunFolder run, int? verify)
    {
        int layers = loaded.Model.NumLayers, heads = loaded.Model.NumHeads;
        var context = c.Context;
        if (kind == "knockout")
        {
            var conditions = KnockoutCondition.DirectVersusChain(c.Prediction, c.LinkPositions!, Enumerable.Range(0, layers), heads);
            var results = KnockoutRun.Run(loaded.Model, c.Pair, conditions, out var baseline);
            TracingResults.WriteKnockout(folder, results, baseline, context);
            if (c.Case is { } knocked) TracingExperimentMetadata.Write(folder, model, knocked, results.Count, DateTime.UtcNow, c.FrameworkProgram);
            var strongest = results.MaxBy(r => Math.Abs(r.Metrics.NormalizedEffect));
            return [Markup.Escape(model), kind, Markup.Escape(strongest.Condition.Name), F(strongest.Metrics.NormalizedEffect), Markup.Escape(run.Relative(folder))];
        }
        var (patch, positions) = kind switch
        {
            "resid-pre" => (PatchKind.ResidPre, Enumerable.Range(0, c.Pair.Length)),
            "resid-post" => (PatchKind.ResidPost, Enumerable.Range(0, c.Pair.Length)),
            "mlp" => (PatchKind.MlpOut, Enumerable.Range(0, c.Pair.Length)),
            _ => (PatchKind.AttnHead, (IEnumerable<int>)[c.Prediction]),
        };
        var cells = PatchCell.Grid(patch, layers, positions, patch == PatchKind.AttnHead ? heads : 0);
        if (verify is { } top)
        {
            // The estimate's heatmaps and records, plus the exact effects of its strongest cells; the table shows the
            // strongest exact effect among them.
            using var verified = VerifiedAttribution.Run(loaded.Model, c.Pair, cells, top);
            AttributionResults.Write(folder, verified, context, layers, heads);
            var strongest = verified.Verified.Select((v, rank) => (v.Cell, verified.Exact.Metrics[rank].NormalizedEffect))
                .MaxBy(x => double.IsFinite(x.NormalizedEffect) ? Math.Abs(x.NormalizedEffect) : -1);
            return [Markup.Escape(model), kind + " (attribution)", Markup.Escape(strongest.Cell.ToString()), F(strongest.NormalizedEffect), Markup.Escape(run.Relative(folder))];
        }
        using var sweep = PatchSweep.Run(loaded.Model, c.Pair, cells);
        TracingResults.WriteSweep(folder, sweep, context, layers, heads);
        if (c.Case is { } swept) TracingExperimentMetadata.Write(folder, model, swept, cells.Count, DateTime.UtcNow, c.FrameworkProgram);
        var best = sweep.Cells.Zip(sweep.Metrics).MaxBy(x => double.IsFinite(x.Second.NormalizedEffect) ? Math.Abs(x.Second.NormalizedEffect) : -1);
        return [Markup.Escape(model), kind, Markup.Escape(best.First.ToString()), F(best.Second.NormalizedEffect), Markup.Escape(run.Relative(folder))];
    }

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>A model name as part of a folder name.</summary>
    internal static string Safe(string model) =>
        new(model.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' or '_' ? ch : '_').ToArray());
}
