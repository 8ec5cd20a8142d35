using System.CommandLine;
using Debug.Core.Reports.Merging;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// <c>debug merge &lt;run folders…&gt; --out &lt;folder&gt;</c>: merges the run folders of a sharded run (one per shard) into
/// one run folder (<see cref="RunMerge"/>). Exit codes: 0 merged and no gate failed; 1 merged, but a gate failed on the
/// pooled counts (so a CI merge job fails); 2 bad arguments; <see cref="Refused"/> the shards cannot be merged (the
/// message names the shard).
/// </summary>
internal static class MergeCommand
{
    /// <summary>Exit code of a refused merge: shards missing, doubled, of other code or settings, or a row in two shards.</summary>
    public const int Refused = 4;

    public static Command Create(IAnsiConsole console)
    {
        var folders = new Argument<DirectoryInfo[]>("shards")
        {
            Description = "The shards' run folders (all n of them).",
            Arity = ArgumentArity.OneOrMore,
        };
        folders.AcceptExistingOnly();
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "The merged run folder to create (must not exist).", Required = true };
        var command = new Command("merge", "Merge the run folders of a sharded run into one run folder (exit 1 when a pooled gate fails).") { folders, output };
        command.SetAction(p =>
        {
            try
            {
                var report = RunMerge.Merge([.. p.GetValue(folders)!.Select(f => f.FullName)], p.GetValue(output)!.FullName);
                console.WriteLine($"merged {report.Shards} shard(s): {report.Experiments} accuracy experiment(s), {report.Rows} row folder(s), " +
                    $"{report.Gates} gate(s), {report.FailedGates} failed");
                console.WriteLine($"run folder: {report.Folder}");
                console.WriteLine($"page: {Path.Combine(report.Folder, "index.html")}");
                return report.FailedGates > 0 ? ExitCodes.Failed : ExitCodes.Ok;
            }
            catch (ShardMergeException e)
            {
                Console.Error.WriteLine($"{DebugCli.Name} merge: {e.Message}");
                return Refused;
            }
        });
        return command;
    }
}
