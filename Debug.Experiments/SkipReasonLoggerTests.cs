using System.Xml.Linq;
using Debug.TestLogger;
using FluentAssertions;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using TestResult = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult;
using Xunit;

namespace Debug.Experiments;

/// <summary>The skip-reason logger's line, and that this project's run settings turn it on.</summary>
[Trait("Category", "Consistency")]
public sealed class SkipReasonLoggerTests
{
    private static TestResult Result(TestOutcome outcome, string? message) =>
        new(new TestCase("Debug.Experiments.TracingExperiment.ResidualPatching", new Uri("executor://xunit"), "Debug.Experiments.dll"))
        {
            DisplayName = "ResidualPatching(model: Qwen3-0.6B, hops: 1, lines: 5, seedRank: 0)",
            Outcome = outcome,
            ErrorMessage = message,
        };

    [Fact(DisplayName = "Skip-reason logger: a skipped row's line carries its reason, on one line")]
    public void SkippedLine()
    {
        var output = new StringWriter();
        var logger = new SkipReasonLogger(output);
        logger.Write(Result(TestOutcome.Skipped, "NOT TRACED: Qwen3-0.6B answers both prompts of only 0 of the first 40\nhops-1, 5-line programs."));
        output.ToString().Should().Be("  Skipped ResidualPatching(model: Qwen3-0.6B, hops: 1, lines: 5, seedRank: 0): NOT TRACED: Qwen3-0.6B answers " +
            "both prompts of only 0 of the first 40 hops-1, 5-line programs." + Environment.NewLine);
    }

    [Fact(DisplayName = "Skip-reason logger: passed and failed rows get no line; a skip without a reason says so")]
    public void OtherOutcomes()
    {
        SkipReasonLogger.Line(Result(TestOutcome.Passed, null)).Should().BeNull();
        SkipReasonLogger.Line(Result(TestOutcome.Failed, "boom")).Should().BeNull();
        SkipReasonLogger.Line(Result(TestOutcome.Skipped, null)).Should().EndWith(": no reason given");
    }

    [Fact(DisplayName = "Skip-reason logger: experiments.runsettings enables it under its friendly name, and its assembly name is one VSTest loads")]
    public void EnabledByRunSettings()
    {
        string? root = Core.Experiments.RepositoryPaths.FindRoot();
        File.Exists(Path.Combine(root ?? "", "Debug.sln")).Should().BeTrue("the tests run inside a checkout");
        var settings = XDocument.Load(Path.Combine(root!, "Debug.Experiments", "experiments.runsettings"));
        settings.Descendants("Logger").Should().Contain(l => (string?)l.Attribute("friendlyName") == SkipReasonLogger.FriendlyName
            && (string?)l.Attribute("enabled") == "True");
        // VSTest loads logger extensions from the test assembly's folder by the file-name ending "TestLogger.dll".
        typeof(SkipReasonLogger).Assembly.GetName().Name.Should().EndWith("TestLogger");
        File.Exists(Path.Combine(AppContext.BaseDirectory, "Debug.TestLogger.dll")).Should().BeTrue();
    }
}
