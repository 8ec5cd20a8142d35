using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks.PythonCompat;

/// <summary>
/// Every row of the Python framework's seed goldens reproduces: generators draw for draw (program, answer,
/// mt_words), counterfactual twins, parser results and prompt templates. One case per file and folder.
/// </summary>
public class SeedGoldenTests
{
    /// <summary>(folder, file) rows: the fixture copy and every DEBUG_SEED_GOLDENS folder.</summary>
    public static TheoryData<string, string> Files => SeedGoldenFolders.Rows();

    [Theory(DisplayName = "Python-framework golden file reproduces row for row")]
    [MemberData(nameof(Files))]
    public void GoldenFileReproduces(string folder, string file)
    {
        string directory = SeedGoldenFolders.Resolve(folder);
        Directory.Exists(directory).Should().BeTrue($"the golden folder '{folder}' must exist ({directory})");
        SeedGoldenFolders.Files.Should().Contain(file, $"'{folder}' must hold at least one of the golden files");
        string path = Path.Combine(directory, file);

        var mismatches = new List<string>();
        int rows = 0;
        if (file == "prompts.json")
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            rows = document.RootElement.GetProperty("templates").EnumerateObject().Count();
            mismatches.AddRange(SeedGoldenChecks.PromptTemplates(document.RootElement));
        }
        else
        {
            Func<JsonElement, string?> check = file switch
            {
                "generators.jsonl" => SeedGoldenChecks.GeneratorRow,
                "counterfactuals.jsonl" => SeedGoldenChecks.CounterfactualRow,
                _ => SeedGoldenChecks.ParserRow,
            };
            foreach (var (line, number) in File.ReadLines(path).Select((l, n) => (l, n + 1)))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                rows++;
                using var document = JsonDocument.Parse(line);
                string? mismatch;
                try
                {
                    mismatch = check(document.RootElement);
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException or InvalidCastException)
                {
                    mismatch = $"{e.GetType().Name}: {e.Message}";
                }
                if (mismatch is not null) mismatches.Add($"line {number}: {mismatch}");
            }
        }

        rows.Should().BePositive($"{path} must hold rows");
        mismatches.Should().BeEmpty(
            $"every row of {folder}/{file} must reproduce; {mismatches.Count} of {rows} differ, the first ones:\n{string.Join("\n", mismatches.Take(20))}");
    }
}
