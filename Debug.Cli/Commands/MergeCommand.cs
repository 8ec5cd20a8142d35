using Debug.Core.Reports.Merging;

namespace Debug.Cli.Commands;

/// <summary>
/// <c>debug merge &lt;run folders…&gt; --out &lt;folder&gt;</c>: merges the run folders of a sharded run (one per shard) into
/// one run folder. Exit codes: 0 merged and no gate failed; 1 merged, but a gate failed on the pooled counts (so a CI
/// merge job fails); 2 bad arguments; 3 the shards cannot be merged (the message names the shard).
/// </summary>
public static class MergeCommand
{
    /// <summary>The command's usage line.</summary>
    public const string Usage = "debug merge <shard run folder>... --out <merged run folder>";

    /// <summary>Runs the command on the arguments after <c>merge</c>.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var folders = new List<string>();
        string? outFolder = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--out")
            {
                if (i + 1 >= args.Count || outFolder is not null) return Fail(error, "--out takes one folder, once.");
                outFolder = args[++i];
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) return Fail(error, $"unknown option '{args[i]}'.");
            else folders.Add(args[i]);
        }
        if (outFolder is null) return Fail(error, "--out <folder> is required.");
        if (folders.Count == 0) return Fail(error, "give the shard run folders to merge.");
        try
        {
            var report = RunMerge.Merge(folders, outFolder);
            output.WriteLine($"merged {report.Shards} shard(s): {report.Experiments} accuracy experiment(s), {report.Rows} row folder(s), " +
                $"{report.Gates} gate(s), {report.FailedGates} failed -> {report.Folder}");
            if (report.FailedGates > 0) error.WriteLine($"{report.FailedGates} gate(s) failed on the pooled counts (see {Path.Combine(report.Folder, "summary.json")}).");
            return report.FailedGates > 0 ? 1 : 0;
        }
        catch (ShardMergeException e)
        {
            error.WriteLine("cannot merge: " + e.Message);
            return 3;
        }
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        error.WriteLine("usage: " + Usage);
        return 2;
    }
}
