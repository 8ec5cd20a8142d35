using Debug.Cli;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Cli;

/// <summary><c>--help</c> everywhere; bad arguments are one line naming the argument, exit 2.</summary>
public sealed class CliArgumentTests
{
    public static TheoryData<string> Commands => new(Debug.Cli.Commands.CommandRegistry.Create(Spectre.Console.AnsiConsole.Console).Select(c => c.Name));

    [Fact(DisplayName = "CLI: debug --help lists every command")]
    public void RootHelp()
    {
        var (code, output, _) = CliHarness.Run("--help");
        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("eval").And.Contain("trace").And.Contain("seeds").And.Contain("report")
            .And.Contain("train-embedded").And.Contain("plot-training-log");
        // The tool's name, not the executable's (testhost here, Debug.Cli under dotnet run).
        output.ReplaceLineEndings("\n").Should().Contain("Usage:\n  debug [command] [options]").And.NotContain("testhost");
    }

    [Theory(DisplayName = "CLI: every command has --help")]
    [MemberData(nameof(Commands))]
    public void CommandHelp(string command)
    {
        var (code, output, error) = CliHarness.Run(command, "--help");
        code.Should().Be(ExitCodes.Ok, error);
        output.Should().Contain("Usage:").And.Contain(command);
    }

    [Fact(DisplayName = "CLI: every command that loads a model takes --device, and eval (the one that scores generated answers) --best-of and --temperature")]
    public void ModelOptionsAreUniform()
    {
        var commands = Debug.Cli.Commands.CommandRegistry.Create(Spectre.Console.AnsiConsole.Console);
        static bool Has(System.CommandLine.Command c, string name) => c.Options.Any(o => o.Name == name || o.Aliases.Contains(name));
        var loading = commands.Where(c => Has(c, "--models") || Has(c, "--model")).Select(c => c.Name).ToList();
        loading.Should().Contain(["eval", "trace", "seeds", "serve"]);
        commands.Where(c => loading.Contains(c.Name) && !Has(c, "--device")).Select(c => c.Name).Should().BeEmpty("a model can be placed on a device wherever one is loaded");
        var eval = commands.Single(c => c.Name == "eval");
        Has(eval, "--best-of").Should().BeTrue();
        Has(eval, "--temperature").Should().BeTrue();
    }

    [Theory(DisplayName = "CLI: a bad argument is one line on stderr that names it, and exit code 2")]
    [InlineData("--cases", "eval", "-t", "counter", "--cases", "zero")]
    [InlineData("--cases", "eval", "-t", "counter", "-n", "0")]
    [InlineData("--task", "eval", "-t", "no_such_task")]
    [InlineData("--task", "eval", "--seq-len", "5")]
    [InlineData("--seq-len", "eval", "-t", "counter", "--seq-len", "five")]
    [InlineData("--hops", "eval", "-t", "counter", "--hops", "2")]
    [InlineData("--hops", "trace", "--hops", "9", "--seq-len", "3")]
    [InlineData("--kinds", "trace", "--kinds", "everything")]
    [InlineData("--seed", "trace", "--seed", "-1")]
    [InlineData("--run-id", "trace", "--run-id", "../elsewhere")]
    [InlineData("--max-seed-search", "seeds", "--max-seed-search", "0")]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("--steps", "train-embedded", "--steps", "-5")]
    [InlineData("--second-stage-steps", "train-tracker", "--second-stage-steps", "-1")]
    [InlineData("--third-stage-steps", "train-tracker", "--third-stage-steps", "many")]
    [InlineData("--device", "trace", "--device", "gpu")]
    [InlineData("--device", "seeds", "--device", "cuda:x")]
    [InlineData("--device", "eval", "-t", "counter", "--device", "tpu")]
    [InlineData("--device", "serve", "--device", "gpu")]
    [InlineData("--best-of", "eval", "-t", "counter", "--best-of", "3")]
    [InlineData("--best-of", "eval", "-t", "counter", "--best-of", "0")]
    [InlineData("--temperature", "eval", "-t", "counter", "--temperature", "-1")]
    [InlineData("--generator", "trace", "--generator", "make_range_program")]
    public void BadArguments(string named, params string[] args)
    {
        var (code, _, error) = CliHarness.Run(args);
        code.Should().Be(ExitCodes.BadArguments);
        error.TrimEnd().Should().NotContain("\n", "the error is one line").And.Contain(named).And.StartWith("debug: ");
    }

    [Fact(DisplayName = "CLI: train-tracker's stage steps keep the recipe's stages, drop the third at 0, and drop both when the second is 0")]
    public void TrackerStageSteps()
    {
        var defaults = new Debug.Core.Training.FamilyTrainerOptions();
        var both = Debug.Cli.Commands.TrainTrackerCommand.LaterStages(defaults, 70, 30);
        both.Should().Equal(defaults.LaterStages[0] with { Steps = 70 }, defaults.LaterStages[1] with { Steps = 30 });
        Debug.Cli.Commands.TrainTrackerCommand.LaterStages(defaults, 70, 0).Should().Equal(defaults.LaterStages[0] with { Steps = 70 });
        Debug.Cli.Commands.TrainTrackerCommand.LaterStages(defaults, 0, 30).Should().BeEmpty();
    }

    [Fact(DisplayName = "CLI: report without a run folder names the missing 'latest'")]
    public void ReportWithoutRuns()
    {
        string root = Directory.CreateTempSubdirectory("debug-cli-").FullName;
        try
        {
            var (code, _, error) = CliHarness.Run("report", "--results", root);
            code.Should().Be(ExitCodes.BadArguments);
            error.Should().Contain("latest").And.Contain(root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
