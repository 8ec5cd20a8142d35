using Debug.Core.Reports;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// What a command does with its run folder when it stops on an error: a folder it made and wrote nothing into is
/// removed; one with partial results is marked failed (<see cref="RunFolder.Fail"/>) and its path printed. The error
/// itself still reaches <see cref="DebugCli.Run"/>, which prints its one line and picks the exit code.
/// </summary>
internal static class FailedRun
{
    /// <summary>Runs <paramref name="body"/>; on an exception, ends <paramref name="run"/> as failed and rethrows.</summary>
    public static int Guard(RunFolder run, IAnsiConsole console, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            string reason = e is Debug.Core.Model.Loading.ModelNotFoundException missing ? $"model '{missing.Model}' not found. {missing.Message}" : e.Message;
            if (!run.Fail(string.Join(' ', reason.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))))
                console.WriteLine($"run failed; what it wrote is kept in {run.Path} (run.json and index.html say why)");
            throw;
        }
    }
}
