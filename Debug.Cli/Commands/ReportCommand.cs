using System.CommandLine;
using Debug.Core.Reports;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary><c>debug report [RUN]</c>: rebuilds a run folder's index.html from its files (default: results/latest).</summary>
internal static class ReportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var folder = new Argument<DirectoryInfo>("run")
        {
            Description = "The run folder (default: latest under the results root).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        folder.AcceptExistingOnly();
        var results = CommonOptions.Results();
        var command = new Command("report", "Rebuild index.html of a run folder from its run.json, summary.json and files.") { folder, results };
        command.SetAction(p =>
        {
            string? path = p.GetValue(folder)?.FullName;
            if (path is null)
            {
                string root = Path.GetFullPath(CommonOptions.ResultsRoot(p.GetValue(results)) ?? Debug.Core.Experiments.RepositoryPaths.DefaultResultsRoot());
                path = LatestRun.Resolve(root) ?? throw new CliUsageException($"run: no run folder given and no '{RunFolder.LatestLink}' under {root}.");
            }
            if (!File.Exists(Path.Combine(path, RunFolder.RunFile)))
                throw new CliUsageException($"run: {path} is not a run folder (it has no {RunFolder.RunFile}).");
            console.WriteLine(RunIndexPage.Write(path));
            return ExitCodes.Ok;
        });
        return command;
    }
}
