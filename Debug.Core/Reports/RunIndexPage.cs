using System.Globalization;
using System.Net;
using System.Text;

namespace Debug.Core.Reports;

/// <summary>
/// A run folder's <c>index.html</c>, built from the files alone (so <c>debug report</c> can rebuild it): the run's
/// models, settings and wall time from run.json; every gate row of summary.json; then one section per subfolder with
/// its images (accuracy plots, heatmaps, knockout bars) and links to its JSON and CSV files. Self-contained: inline
/// style, no script, and every image and link is a relative path inside the run folder.
/// </summary>
public static class RunIndexPage
{
    /// <summary>Id of the gate table (one <c>tr</c> per row of summary.json, in order, each with data- attributes).</summary>
    public const string GateTableId = "gates";

    private static readonly string[] DataExtensions = [".json", ".csv"];

    /// <summary>Writes <c>index.html</c> into <paramref name="runFolder"/> (atomically) and returns its path.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">run.json or summary.json is malformed.</exception>
    public static string Write(string runFolder)
    {
        string folder = Path.GetFullPath(runFolder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such run folder.");
        string path = Path.Combine(folder, RunFolder.IndexFile);
        AtomicFile.WriteAllText(path, Render(folder));
        return path;
    }

    /// <summary>The page of <paramref name="runFolder"/>.</summary>
    public static string Render(string runFolder)
    {
        var info = File.Exists(Path.Combine(runFolder, RunFolder.RunFile)) ? RunFolder.ReadInfo(runFolder) : null;
        var gates = RunFolder.ReadGates(runFolder);
        string title = "Debug run " + (info?.RunId ?? Path.GetFileName(runFolder));
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(E(title)).Append("</h1>\n");
        AppendRun(html, info);
        AppendGates(html, gates);
        AppendFiles(html, runFolder, "Run files", ".", Directory.GetFiles(runFolder));
        var subfolders = Directory.GetDirectories(runFolder).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        AppendSections(html, runFolder, "Accuracy experiments", subfolders.Where(n => !IsTracing(n)));
        AppendSections(html, runFolder, "Tracing", subfolders.Where(IsTracing));
        return html.Append("</body>\n</html>\n").ToString();
    }

    private static bool IsTracing(string name) => name.StartsWith("tracing_", StringComparison.Ordinal);

    private static void AppendRun(StringBuilder html, RunInfo? info)
    {
        if (info is null)
        {
            html.Append("<p>No run.json in this folder.</p>\n");
            return;
        }
        html.Append("<table class=\"facts\">\n");
        Fact(html, "kind", info.Kind);
        Fact(html, "started (UTC)", info.StartedUtc.ToString("u", CultureInfo.InvariantCulture));
        if (info.Failure is not null) html.Append("<tr class=\"failed\" id=\"failure\"><th>FAILED</th><td>").Append(E(info.Failure)).Append("</td></tr>\n");
        Fact(html, "ended (UTC)", info.EndedUtc?.ToString("u", CultureInfo.InvariantCulture) ?? "still running or interrupted");
        Fact(html, "wall time", info.WallSeconds is double s ? WallTime(s) : "unknown");
        Fact(html, "Debug version", info.DebugVersion);
        Fact(html, "commit", info.Commit ?? "unknown");
        Fact(html, "models", info.Models.Count == 0 ? "none" : string.Join(", ", info.Models));
        Fact(html, "command line", info.CommandLine);
        html.Append("</table>\n<h2>Settings</h2>\n<table class=\"facts\" id=\"settings\">\n");
        foreach (var (key, value) in info.Settings) Fact(html, key, value);
        html.Append("</table>\n");
    }

    private static void AppendGates(StringBuilder html, IReadOnlyList<GateRow> gates)
    {
        int passed = gates.Count(g => g.Status == GateRow.Passed), failed = gates.Count(g => g.Status == GateRow.Failed);
        html.Append(CultureInfo.InvariantCulture, $"<h2>Gates</h2>\n<p>{gates.Count} groups: {passed} passed, {failed} failed, {gates.Count - passed - failed} not gated.</p>\n")
            .Append("<table id=\"").Append(GateTableId).Append("\">\n<thead><tr><th>model</th><th>experiment</th><th>group</th><th>n</th>")
            .Append("<th>correct</th><th>accuracy</th><th>Wilson low</th><th>Wilson high</th><th>threshold</th><th>status</th></tr></thead>\n<tbody>\n");
        foreach (var g in gates)
        {
            html.Append("<tr class=\"").Append(g.Status).Append('"')
                .Append(Data("model", g.Model)).Append(Data("experiment", g.Experiment)).Append(Data("group", g.Group))
                .Append(Data("n", N(g.N))).Append(Data("correct", N(g.Correct))).Append(Data("accuracy", R(g.Accuracy)))
                .Append(Data("wilson-low", R(g.WilsonLow))).Append(Data("wilson-high", R(g.WilsonHigh)))
                .Append(Data("threshold", g.Threshold is double t ? R(t) : "null")).Append(Data("status", g.Status)).Append('>');
            Cell(html, g.Folder is null ? E(g.Model) : $"<a href=\"{Href(g.Folder)}/\">{E(g.Model)}</a>");
            Cell(html, E(g.Experiment));
            Cell(html, E(g.Group));
            Cell(html, N(g.N));
            Cell(html, N(g.Correct));
            Cell(html, Percent.Format(g.Accuracy));
            Cell(html, Percent.Format(g.WilsonLow));
            Cell(html, Percent.Format(g.WilsonHigh));
            Cell(html, g.Threshold is double th ? Percent.Format(th) : "none");
            Cell(html, E(g.Status.Replace('_', ' ')));
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendSections(StringBuilder html, string runFolder, string heading, IEnumerable<string> names)
    {
        var list = names.ToList();
        if (list.Count == 0) return;
        html.Append("<h2>").Append(E(heading)).Append("</h2>\n");
        foreach (string name in list)
        {
            string dir = Path.Combine(runFolder, name);
            html.Append("<section id=\"").Append(E(name)).Append("\">\n<h3>").Append(E(name)).Append("</h3>\n");
            foreach (string png in Directory.GetFiles(dir, "*.png").Order(StringComparer.Ordinal))
            {
                string href = Href(name + "/" + Path.GetFileName(png));
                html.Append("<figure><a href=\"").Append(href).Append("\"><img src=\"").Append(href).Append("\" alt=\"")
                    .Append(E(name + " " + Path.GetFileName(png))).Append("\"></a><figcaption>").Append(E(Path.GetFileName(png)))
                    .Append("</figcaption></figure>\n");
            }
            AppendFiles(html, runFolder, null, name, Directory.GetFiles(dir));
            html.Append("</section>\n");
        }
    }

    private static void AppendFiles(StringBuilder html, string runFolder, string? heading, string prefix, IEnumerable<string> files)
    {
        var data = files.Where(f => DataExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (data.Count == 0) return;
        if (heading is not null) html.Append("<h2>").Append(E(heading)).Append("</h2>\n");
        html.Append("<ul class=\"files\">");
        foreach (string file in data)
        {
            string rel = prefix == "." ? file : prefix + "/" + file;
            html.Append("<li><a href=\"").Append(Href(rel)).Append("\">").Append(E(file)).Append("</a></li>");
        }
        html.Append("</ul>\n");
    }

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    private static void Cell(StringBuilder html, string content) => html.Append("<td>").Append(content).Append("</td>");

    private static string Data(string name, string value) => $" data-{name}=\"{E(value)}\"";

    private static string WallTime(double seconds) =>
        seconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {seconds % 60:F0} s ({seconds:F0} s)");

    // Relative links: each path segment percent-encoded, so odd characters in a model's name cannot break the URL.
    private static string Href(string relative) => string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
        #gates td:nth-child(n+4) { text-align: right; font-variant-numeric: tabular-nums; }
        tr.passed td:last-child { color: #1a7f37; }
        tr.failed td:last-child { color: #cf222e; font-weight: bold; }
        tr.not_gated td:last-child { color: #777; }
        figure { display: inline-block; margin: 0.5em; vertical-align: top; }
        figure img { max-width: 560px; border: 1px solid #ddd; }
        ul.files li { display: inline; margin-right: 1em; }
        section { border-top: 1px solid #eee; margin-top: 1em; }

        """;
}
