using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace Debug.TestLogger;

/// <summary>
/// A <c>dotnet test</c> logger (<c>--logger skipreasons</c>, enabled by Debug.Experiments' run settings) that prints
/// one line per skipped test with its reason: <c>  Skipped Name(args): reason</c>.
/// </summary>
/// <remarks>
/// VSTest's console logger prints a skipped test as <c>  Skipped Name [1 ms]</c> and shows the reason (which xunit's
/// adapter puts in the result's error message) only at <c>detailed</c> verbosity, where every passed test's output is
/// printed too and the per-assembly summary line that <c>.ci/run</c> reads is replaced. A NOT TRACED tracing row is
/// therefore unexplained in the default output; this logger adds the line that explains it, right beside the console's.
/// </remarks>
[FriendlyName(FriendlyName)]
[ExtensionUri(ExtensionUri)]
public sealed class SkipReasonLogger : ITestLoggerWithParameters
{
    /// <summary>The name <c>--logger</c> and run settings use.</summary>
    public const string FriendlyName = "skipreasons";

    /// <summary>The logger's extension URI.</summary>
    public const string ExtensionUri = "logger://Debug/SkipReasonLogger/v1";

    private readonly TextWriter? _output;

    /// <summary>A logger writing to standard output (the one VSTest creates).</summary>
    public SkipReasonLogger()
    {
    }

    /// <summary>A logger writing to <paramref name="output"/>.</summary>
    /// <param name="output">Where skip lines go.</param>
    public SkipReasonLogger(TextWriter output) => _output = output;

    /// <inheritdoc />
    public void Initialize(TestLoggerEvents events, string testRunDirectory)
    {
        ArgumentNullException.ThrowIfNull(events);
        events.TestResult += (_, e) => Write(e.Result);
    }

    /// <inheritdoc />
    public void Initialize(TestLoggerEvents events, Dictionary<string, string?> parameters) => Initialize(events, "");

    /// <summary>Writes the skip line of <paramref name="result"/>, if it is a skipped test.</summary>
    /// <param name="result">A test result.</param>
    public void Write(TestResult result)
    {
        if (Line(result) is not string line) return;
        var output = _output ?? Console.Out;
        // VSTest raises results from several threads; one line at a time keeps them whole.
        lock (output) output.WriteLine(line);
    }

    /// <summary>
    /// <c>  Skipped Name(args): reason</c> for a skipped result (the reason on one line; <c>no reason given</c> when
    /// the framework gave none), null for any other outcome.
    /// </summary>
    /// <param name="result">A test result.</param>
    public static string? Line(TestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome != TestOutcome.Skipped) return null;
        string name = string.IsNullOrWhiteSpace(result.DisplayName) ? result.TestCase.DisplayName : result.DisplayName!;
        string reason = string.IsNullOrWhiteSpace(result.ErrorMessage)
            ? "no reason given"
            : string.Join(' ', result.ErrorMessage.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"  Skipped {name}: {reason}";
    }
}
