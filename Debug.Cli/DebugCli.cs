using System.CommandLine;
using Debug.Cli.Commands;
using Debug.Core.Model.Loading;
using Spectre.Console;

namespace Debug.Cli;

/// <summary>
/// The <c>debug</c> command line: parses, runs one command, and maps outcomes to exit codes. Bad arguments print one
/// line naming the argument (exit <see cref="ExitCodes.BadArguments"/>), a missing model says how to get it
/// (<see cref="ExitCodes.MissingModel"/>).
/// </summary>
public static class DebugCli
{
    /// <summary>The tool's command name.</summary>
    public const string Name = "debug";

    /// <summary>The root command with every registered subcommand, writing to <paramref name="console"/>.</summary>
    /// <remarks>
    /// A plain <see cref="Command"/> named <see cref="Name"/> rather than a <see cref="RootCommand"/>: RootCommand takes
    /// its name from the executable, so help said <c>Debug.Cli</c> under <c>dotnet run --project Debug.Cli</c> (and
    /// <c>testhost</c> in tests) instead of the tool's name. The help and version options RootCommand adds are added here.
    /// </remarks>
    public static Command Build(IAnsiConsole console)
    {
        var root = new Command(Name, "Debug: tests language models on code understanding and traces the mechanism with activation patching.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        foreach (var command in CommandRegistry.Create(console)) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Runs <paramref name="args"/>; returns the exit code.</summary>
    /// <param name="args">The command line after the program name.</param>
    /// <param name="console">Where output goes (default: the terminal).</param>
    /// <param name="error">Where error lines go (default: standard error).</param>
    public static int Run(string[] args, IAnsiConsole? console = null, TextWriter? error = null)
    {
        console ??= AnsiConsole.Console;
        error ??= Console.Error;
        var root = Build(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, naming the argument; --help shows the rest.
            // An unknown word also makes "Required command was not provided"; the unknown word is the better line.
            var first = parsed.Errors.FirstOrDefault(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) ?? parsed.Errors[0];
            error.WriteLine($"{Name}: {OneLine(first)} (see '{string.Join(' ', [Name, .. CommandPath(parsed), "--help"])}')");
            return ExitCodes.BadArguments;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = console.Profile.Out.Writer, Error = error });
        }
        catch (CliUsageException e)
        {
            error.WriteLine($"{Name}: {e.Message}");
            return ExitCodes.BadArguments;
        }
        catch (ModelNotFoundException e)
        {
            error.WriteLine($"{Name}: model '{e.Model}' not found. {e.Message}");
            return ExitCodes.MissingModel;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null && result.Parent is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        return names;
    }

    // The error on one line, prefixed with the option it concerns when the parser's message names only the value.
    private static string OneLine(System.CommandLine.Parsing.ParseError error)
    {
        string message = string.Join(' ', error.Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        string? option = error.SymbolResult switch
        {
            System.CommandLine.Parsing.OptionResult o => o.Option.Name,
            System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => o.Option.Name,
            System.CommandLine.Parsing.ArgumentResult a => a.Argument.Name,
            _ => null,
        };
        return option is null || message.Contains(option, StringComparison.Ordinal) ? message : $"{option}: {message}";
    }
}

/// <summary>Exit codes of <c>debug</c>.</summary>
public static class ExitCodes
{
    /// <summary>Done; every gate passed or none applied.</summary>
    public const int Ok = 0;

    /// <summary>The command ran, and a gate failed (or a model of several failed).</summary>
    public const int Failed = 1;

    /// <summary>Bad command line: one line on standard error names the argument.</summary>
    public const int BadArguments = 2;

    /// <summary>A model is not on disk; the message says how to get it.</summary>
    public const int MissingModel = 3;
}

/// <summary>A command-line value that parsed but makes no sense; the message names the argument.</summary>
public sealed class CliUsageException(string message) : Exception(message);
