using System.CommandLine;
using Debug.Core.Reports;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary><c>debug plot-training-log LOG.csv OUT.png</c>: the loss and accuracy curves of a training log.</summary>
internal static class PlotTrainingLogCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var log = new Argument<FileInfo>("log") { Description = "training_log.csv written by train-embedded." };
        log.AcceptExistingOnly();
        var png = new Argument<FileInfo>("png") { Description = "The PNG to write." };
        var command = new Command("plot-training-log", "Plot a training log (loss, accuracy by hops) to a PNG.") { log, png };
        command.SetAction(p =>
        {
            TrainingLogPlot.Write(p.GetValue(log)!.FullName, p.GetValue(png)!.FullName);
            console.WriteLine(p.GetValue(png)!.FullName);
            return ExitCodes.Ok;
        });
        return command;
    }
}
