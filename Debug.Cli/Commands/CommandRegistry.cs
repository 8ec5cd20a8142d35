using System.CommandLine;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// Every subcommand of <c>debug</c>, one file each in this folder. A new command adds one line here:
/// <c>import</c> (the Python framework's results.json), <c>serve</c> and <c>merge</c> are registered by their own
/// work, next to these.
/// </summary>
public static class CommandRegistry
{
    /// <summary>The subcommands, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<Command> Create(IAnsiConsole console) =>
    [
        EvalCommand.Create(console),
        TraceCommand.Create(console),
        SeedsCommand.Create(console),
        ReportCommand.Create(console),
        TrainEmbeddedCommand.Create(console),
        TrainTrackerCommand.Create(console),
        PlotTrainingLogCommand.Create(console),
        ServeCommand.Create(console),
        ImportCommand.Create(),
        MergeCommand.Create(console),
    ];
}
