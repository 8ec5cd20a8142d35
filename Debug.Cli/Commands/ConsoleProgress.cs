using Debug.Core.Experiments;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// Spectre.Console progress for long work: one bar per step with percentage, elapsed and remaining time. On a console
/// that is not interactive (redirected, CI) the bars are not drawn, and each finished step prints one line instead.
/// </summary>
internal static class ConsoleProgress
{
    /// <summary>Runs <paramref name="work"/> with a progress display; <paramref name="work"/> reports through the callback it gets.</summary>
    public static T Run<T>(IAnsiConsole console, string title, Func<Action<string, double, double>, T> work)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            string? last = null;
            return work((label, done, total) =>
            {
                if (done >= total && label != last) console.WriteLine($"{title}: {label} done");
                last = done >= total ? label : last;
            });
        }
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                return work((label, done, total) =>
                {
                    if (!tasks.TryGetValue(label, out var task)) tasks[label] = task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(total, 1));
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = done;
                });
            });
    }

    /// <summary>An <see cref="IProgress{T}"/> of the experiment runner feeding a progress callback, one bar per group.</summary>
    public static IProgress<RunProgress> ForRunner(Action<string, double, double> report) =>
        new Relay(p => report($"{p.Experiment} {p.Model} seqLen={p.SeqLen}{(p.Hops is int h ? $" hops={h}" : "")}", p.CasesDone, p.CasesInGroup));

    private sealed class Relay(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
