using Xunit;

namespace Debug.Core.Tests.Tasks.PythonCompat;

/// <summary>
/// The folders of Python-framework goldens to check: the copy in Fixtures/seed-compat, plus every folder listed in
/// <c>DEBUG_SEED_GOLDENS</c> (separated by ';'), so further rows can be checked without a code change.
/// </summary>
public static class SeedGoldenFolders
{
    /// <summary>The label of the repository's own copy.</summary>
    public const string BuiltIn = "seed-compat";

    /// <summary>The files a golden folder may hold; others (README, manifest) are ignored.</summary>
    public static readonly string[] Files = ["generators.jsonl", "counterfactuals.jsonl", "parsers.jsonl", "prompts.json"];

    /// <summary>One (folder, file) row per golden file that exists. A listed folder that does not exist still gets a row, which fails.</summary>
    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (string folder in Folders())
        {
            string path = Resolve(folder);
            var present = Files.Where(f => File.Exists(Path.Combine(path, f))).ToList();
            if (present.Count == 0)
            {
                rows.Add(folder, "(no golden files)");
            }
            foreach (string file in present)
            {
                rows.Add(folder, file);
            }
        }
        return rows;
    }

    /// <summary>The folder's path on disk: the fixture copy for <see cref="BuiltIn"/>, else the path as given.</summary>
    public static string Resolve(string folder) =>
        folder == BuiltIn ? Path.Combine(AppContext.BaseDirectory, "Fixtures", "seed-compat") : Path.GetFullPath(folder);

    private static IEnumerable<string> Folders()
    {
        yield return BuiltIn;
        string? extra = Environment.GetEnvironmentVariable("DEBUG_SEED_GOLDENS");
        if (string.IsNullOrWhiteSpace(extra))
        {
            yield break;
        }
        foreach (string folder in extra.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return folder;
        }
    }
}
