using Debug.Core.Serialization;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Reports;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// <c>debug seeds</c>: per model and (hops, lines), the first robust seeds (program and counterfactual both answered,
/// as the tracing experiments pick them) or, with <c>--find-failed</c>, the first programs the model gets wrong.
/// Writes <c>seeds.json</c> into a run folder.
/// </summary>
internal static class SeedsCommand
{
    /// <summary>The file written into the run folder.</summary>
    public const string SeedsFile = "seeds.json";

    public static Command Create(IAnsiConsole console)
    {
        var models = CommonOptions.Models();
        var hops = CommonOptions.IntList("--hops", "Referential depths.", [1, 2, 3]);
        var lines = CommonOptions.IntList("--seq-len", "Program lines.", [5, 17]);
        var count = CommonOptions.Int("--count", "Seeds to find per group.", 3, min: 1);
        var limit = CommonOptions.ULong("--max-seed-search", "Seeds 0..N-1 are searched.", 200, min: 1);
        var failed = new Option<bool>("--find-failed") { Description = "Find programs the model gets wrong instead of robust seeds." };
        var results = CommonOptions.Results();
        var runId = CommonOptions.RunId();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var command = new Command("seeds", "Robust-seed search per model and (hops, lines), or the programs a model fails (--find-failed).")
        {
            models, hops, lines, count, limit, failed, results, runId, threads, device,
        };
        command.SetAction(p =>
        {
            bool findFailed = p.GetValue(failed);
            int n = p.GetValue(count);
            ulong max = p.GetValue(limit);
            var groups = (from h in p.GetValue(hops)! from l in p.GetValue(lines)! where h <= l select (Hops: h, Lines: l)).ToList();
            if (groups.Count == 0) throw new CliUsageException("--hops: every value exceeds every --seq-len, so there is no group to search.");
            var onDevice = CommonOptions.DeviceOf(p, device);
            var run = RunFolder.Create("debug seeds", CommonOptions.ResultsRoot(p.GetValue(results)), new Dictionary<string, string>
            {
                ["models"] = string.Join(";", p.GetValue(models)!),
                ["mode"] = findFailed ? "find failed" : "robust",
                ["groups"] = string.Join(" ", groups.Select(g => $"h{g.Hops}/l{g.Lines}")),
                ["count"] = n.ToString(CultureInfo.InvariantCulture),
                ["max seed search"] = max.ToString(CultureInfo.InvariantCulture),
                ["device"] = p.GetValue(device) ?? "default",
            }, p.GetValue(runId));
            return FailedRun.Guard(run, console, () => Search(p, run, groups, findFailed, n, max, onDevice));
        });
        return command;

        int Search(ParseResult p, RunFolder run, List<(int Hops, int Lines)> groups, bool findFailed, int n, ulong max, TorchSharp.torch.Device? onDevice)
        {
            if (p.GetValue(threads) > 0) Debug.Core.TorchRuntime.SetThreads(p.GetValue(threads));
            using var cache = new ModelCache(device: onDevice);
            var rows = new List<SeedRow>();
            ConsoleProgress.Run(console, "seeds", report =>
            {
                foreach (var spec in p.GetValue(models)!)
                {
                    var reference = ModelReference.Parse(spec);
                    var loaded = cache.Get(reference);
                    run.AddModel(reference.DisplayName);
                    for (int i = 0; i < groups.Count; i++)
                    {
                        report(reference.DisplayName, i, groups.Count);
                        var (h, l) = groups[i];
                        var seeds = findFailed
                            ? RobustSeeds.FindFailed(loaded.Model, loaded.Tokenizer, h, l, n, max)
                            : new RobustSeedSearch(loaded.Model, loaded.Tokenizer, h, l, max)
                                .Extend(n, ConsoleProgress.ForSeedSearch(reference.DisplayName, report));
                        rows.Add(new SeedRow(reference.DisplayName, h, l, findFailed ? "failed" : "robust", seeds));
                    }
                    report(reference.DisplayName, groups.Count, groups.Count);
                }
                return 0;
            });
            AtomicFile.WriteAllText(Path.Combine(run.Path, SeedsFile), DebugJson.Write(new System.Text.Json.Nodes.JsonArray([.. rows.Select(r => new System.Text.Json.Nodes.JsonObject
            {
                ["model"] = r.Model, ["hops"] = r.Hops, ["lines"] = r.Lines, ["mode"] = r.Mode,
                ["seeds"] = new System.Text.Json.Nodes.JsonArray([.. r.Seeds.Select(x => (System.Text.Json.Nodes.JsonNode?)x)]),
            })])));
            run.Complete();
            var table = new Table().AddColumns("model", "hops", "lines", findFailed ? "failed seeds" : "robust seeds");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Model), r.Hops.ToString(CultureInfo.InvariantCulture), r.Lines.ToString(CultureInfo.InvariantCulture),
                    r.Seeds.Count == 0 ? "none" : string.Join(", ", r.Seeds));
            console.Write(table);
            console.WriteLine($"run folder: {run.Path}");
            return ExitCodes.Ok;
        }
    }

    /// <summary>One group's seeds in seeds.json.</summary>
    /// <param name="Model">Model display name.</param>
    /// <param name="Hops">Referential depth.</param>
    /// <param name="Lines">Program lines.</param>
    /// <param name="Mode"><c>robust</c> or <c>failed</c>.</param>
    /// <param name="Seeds">The seeds found, ascending.</param>
    internal sealed record SeedRow(string Model, int Hops, int Lines, string Mode, IReadOnlyList<ulong> Seeds);
}
