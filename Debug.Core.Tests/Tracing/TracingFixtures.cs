using Xunit;
using Debug.Core.Interventions;
using Debug.Core.Tests.Model;
using FluentAssertions;
using Xunit.Sdk;

namespace Debug.Core.Tests.Tracing;

/// <summary>The hf-reference fixtures as patching pairs (single.input_ids vs patch.corrupt_ids), and metric comparison.</summary>
internal static class TracingFixtures
{
    /// <summary>One row of <paramref name="theory"/> per fixture, named <c>Theory(fixture)</c>.</summary>
    public static IEnumerable<TheoryDataRow<string>> Names(string theory) =>
        NamedRows.Of(theory, ReferenceFixture.AllFolders().Select(ReferenceFixture.DisplayName));

    public static ReferenceFixture Get(string name) =>
        ReferenceFixture.Get(ReferenceFixture.AllFolders().First(f => ReferenceFixture.DisplayName(f) == name));

    public static PatchingPair Pair(ReferenceFixture f) => new(
        f.Reference["single.input_ids"].flatten().data<long>().ToArray(),
        f.Reference["patch.corrupt_ids"].flatten().data<long>().ToArray());

    /// <summary>Largest difference over every metric of every cell; booleans and top tokens must match exactly.</summary>
    public static double AssertSameMetrics(string what, PatchSweepResult fast, PatchSweepResult naive, double tol)
    {
        fast.Cells.Should().Equal(naive.Cells);
        double worst = 0;
        for (int i = 0; i < fast.Cells.Count; i++)
        {
            var a = fast.Metrics[i].Values().ToList();
            var b = naive.Metrics[i].Values().ToList();
            for (int k = 0; k < a.Count; k++)
            {
                double d = double.IsNaN(a[k].Value) && double.IsNaN(b[k].Value) ? 0 : Math.Abs(a[k].Value - b[k].Value);
                if (!(d <= tol))
                    throw new XunitException($"{what}: {fast.Cells[i]} {a[k].Name}: fast {a[k].Value:G9} vs naive {b[k].Value:G9} (diff {d:G3} > {tol:G2})");
                worst = Math.Max(worst, d);
            }
        }
        return worst;
    }
}
