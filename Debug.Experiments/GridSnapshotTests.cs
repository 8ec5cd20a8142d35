using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Newtonsoft.Json;
using Snapshooter;
using Xunit;

namespace Debug.Experiments;

/// <summary>The value-based snapshot comparison that keeps tracing snapshots stable across CPU kinds.</summary>
public sealed class GridSnapshotTests
{
    // Two runs of the same computation on different CPUs, one just below and one just above a rounding midpoint:
    // the kind of last-bit difference AVX2 and AVX-512 kernels produce.
    private const double BelowMidpoint = 0.125 - 1e-9, AboveMidpoint = 0.125 + 1e-9;

    [Fact(DisplayName = "Grid snapshot: a value on a rounding boundary matches from either side, although its text flips")]
    public void BoundaryValueMatchesFromEitherSide()
    {
        var storedOnOneCpu = JsonConvert.SerializeObject(new { Effect = new GridNumber(AboveMidpoint, 2) });
        var textOnAnother = JsonConvert.SerializeObject(new { Effect = new GridNumber(BelowMidpoint, 2) });

        textOnAnother.Should().NotBe(storedOnOneCpu, "as text the snapshot would fail on the other CPU");
        storedOnOneCpu.Should().Be("{\"Effect\":0.13}");
        GridSnapshot.Differences(new { Effect = new GridNumber(BelowMidpoint, 2) }, storedOnOneCpu).Should().BeEmpty();
        GridSnapshot.Differences(new { Effect = new GridNumber(AboveMidpoint, 2) }, textOnAnother).Should().BeEmpty();
    }

    [Theory(DisplayName = "Grid snapshot: a value that really moved fails, naming its path")]
    [InlineData(0.1352, 2)]
    [InlineData(0.1148, 2)]
    [InlineData(16.26, 1)]
    public void MovedValueFails(double now, int decimals)
    {
        var stored = decimals == 2 ? "{\"Rows\":[{\"Effect\":0.12}]}" : "{\"Rows\":[{\"Effect\":16.1}]}";
        GridSnapshot.Differences(new { Rows = new[] { new { Effect = new GridNumber(now, decimals) } } }, stored)
            .Should().ContainSingle().Which.Should().StartWith("Rows[0].Effect: stored");
    }

    [Fact(DisplayName = "Grid snapshot: strings, integers, booleans and shapes are compared exactly")]
    public void EverythingElseIsExact()
    {
        const string stored = "{\"Case\":\"h1 l5\",\"Root\":7,\"Flipped\":true,\"Grid\":[0.5,0.25]}";
        object Actual(string @case, int root, bool flipped, params double[] grid) =>
            new { Case = @case, Root = root, Flipped = flipped, Grid = grid.Select(g => new GridNumber(g, 2)).ToArray() };

        GridSnapshot.Differences(Actual("h1 l5", 7, true, 0.5, 0.25), stored).Should().BeEmpty();
        GridSnapshot.Differences(Actual("h1 l17", 7, true, 0.5, 0.25), stored).Should().ContainSingle().Which.Should().StartWith("Case:");
        GridSnapshot.Differences(Actual("h1 l5", 8, true, 0.5, 0.25), stored).Should().ContainSingle().Which.Should().StartWith("Root:");
        GridSnapshot.Differences(Actual("h1 l5", 7, false, 0.5, 0.25), stored).Should().ContainSingle().Which.Should().StartWith("Flipped:");
        GridSnapshot.Differences(Actual("h1 l5", 7, true, 0.5), stored).Should().ContainSingle().Which.Should().Contain("2 stored items, now 1");
    }

    [Fact(DisplayName = "Grid snapshot: numbers are written as before (1.0 stays 1.0, no negative zero)")]
    public void WritesTheExistingSnapshotFormat()
    {
        JsonConvert.SerializeObject(new[] { new GridNumber(1, 2), new GridNumber(-0.001, 2), new GridNumber(16.149, 1) })
            .Should().Be("[1.0,0.0,16.1]");
    }

    [Fact(DisplayName = "Grid snapshot: Match passes a boundary flip against a stored file and throws when a value moved")]
    public void MatchAgainstAStoredFile()
    {
        var folder = Directory.CreateTempSubdirectory("grid-snapshot-").FullName;
        try
        {
            var name = new SnapshotFullName("Boundary.snap", folder);
            File.WriteAllText(Path.Combine(folder, name.Filename), "\uFEFF{\n  \"Effect\": 0.13\n}");
            GridSnapshot.Match(new { Effect = new GridNumber(BelowMidpoint, 2) }, name);

            var act = () => GridSnapshot.Match(new { Effect = new GridNumber(0.2, 2) }, name);
            act.Should().Throw<SnapshotGridException>().WithMessage("*Effect: stored 0.13, now 0.2*");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
