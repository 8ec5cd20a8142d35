using Debug.Core.Reports;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>The gate rows of a run as a console table.</summary>
internal static class GateTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<GateRow> gates)
    {
        var table = new Table().AddColumns("model", "experiment", "group", "n", "accuracy", "95% Wilson", "threshold", "status");
        foreach (var g in gates.OrderBy(g => g.Model, StringComparer.Ordinal).ThenBy(g => g.Experiment, StringComparer.Ordinal).ThenBy(g => g.SeqLen).ThenBy(g => g.Hops ?? -1))
        {
            string status = g.Status switch
            {
                GateRow.Passed => "[green]passed[/]",
                GateRow.Failed => "[red]failed[/]",
                _ => "[grey]not gated[/]",
            };
            table.AddRow(Markup.Escape(g.Model), Markup.Escape(g.Experiment), Markup.Escape(g.Group), g.N.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Percent.Format(g.Accuracy), Markup.Escape($"[{Percent.Format(g.WilsonLow)}, {Percent.Format(g.WilsonHigh)}]"),
                g.Threshold is double t ? Percent.Format(t) : "none", status);
        }
        console.Write(table);
    }
}
