using Debug.Cli;
using Spectre.Console;

namespace Debug.Core.Tests.Cli;

/// <summary>Runs the <c>debug</c> command line in-process with captured output and a plain, non-interactive console.</summary>
internal static class CliHarness
{
    /// <summary>Exit code, standard output and standard error of one command line.</summary>
    public static (int Code, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        int code = DebugCli.Run(args, console, error);
        return (code, output.ToString(), error.ToString());
    }
}
