using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Devices;

/// <summary>
/// Keeps the engine device-generic: every tensor factory Debug.Core calls (<c>tensor</c>, <c>zeros</c>, <c>ones</c>,
/// <c>arange</c>, <c>full</c>, <c>empty</c>, and <c>TensorMath.Range</c>; the <c>*_like</c> forms inherit their input's device) names its device,
/// so a tensor created on the CPU cannot slip into a model that runs elsewhere. Where the CPU is meant (values computed
/// once at load, weights written to a file) the call says <c>device: CPU</c>.
/// </summary>
public sealed partial class TensorFactoryScanTests
{
    // TensorMath.Range is the engine's arange (it keeps its Scalars alive): it must be given the device too.
    [GeneratedRegex(@"(?<![\w.])(tensor|zeros|ones|arange|full|empty)\s*\(|(?<=TensorMath\.)(Range)\s*\(")]
    private static partial Regex Factory();

    [Fact(DisplayName = "Every tensor factory in Debug.Core names its device")]
    public void EveryFactoryNamesItsDevice()
    {
        string core = Path.Combine(Debug.Core.Experiments.RepositoryPaths.FindRoot()!, "Debug.Core");
        var files = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        files.Should().HaveCountGreaterThan(50, "the scan must see the library's sources");
        var missing = new List<string>();
        int calls = 0;
        foreach (var file in files)
        {
            string code = WithoutCommentsAndStrings(File.ReadAllText(file));
            foreach (Match m in Factory().Matches(code))
            {
                string args = Arguments(code, m.Index + m.Length - 1);
                calls++;
                if (!Regex.IsMatch(args, @"\bdevice\s*:"))
                {
                    int line = code[..m.Index].Count(c => c == '\n') + 1;
                    missing.Add($"{Path.GetRelativePath(core, file)}:{line}: {m.Groups[1].Value}({args})");
                }
            }
        }
        calls.Should().BeGreaterThan(20, "the scan must find the engine's factory calls");
        missing.Should().BeEmpty("a factory without a device creates a CPU tensor whatever the model's device");
    }

    [Fact(DisplayName = "The factory scan flags a call without a device and accepts one with it")]
    public void ScanSeesWhatItShould()
    {
        string bad = WithoutCommentsAndStrings("var x = zeros(3, 4); // zeros(1, device: d)\nvar y = t.zeros_like(); var s = \"ones(2)\";");
        Factory().Matches(bad).Select(m => Arguments(bad, m.Index + m.Length - 1)).Should().Equal("3, 4");
        string good = "var x = arange(0, n, dtype: ScalarType.Int64, device: model.Device);";
        Arguments(good, Factory().Match(good).Index + Factory().Match(good).Length - 1).Should().Contain("device:");
    }

    // Text between the parenthesis at open and its match.
    private static string Arguments(string code, int open)
    {
        int depth = 0;
        for (int i = open; i < code.Length; i++)
        {
            if (code[i] is '(' or '[' or '{') depth++;
            else if (code[i] is ')' or ']' or '}' && --depth == 0) return code[(open + 1)..i];
        }
        return code[(open + 1)..];
    }

    // Comments and string literals blanked (line breaks kept, so line numbers stay right).
    private static string WithoutCommentsAndStrings(string code) =>
        Regex.Replace(code, @"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|\$?""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])'",
            m => new string(m.Value.Select(c => c == '\n' ? '\n' : ' ').ToArray()), RegexOptions.Singleline);
}
