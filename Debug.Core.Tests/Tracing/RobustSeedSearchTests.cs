using Debug.Core.Experiments.Tracing;
using Debug.Core.Model;
using Debug.Core.Tests.Experiments;
using Debug.Core.Tests.Training;
using Debug.Core.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tracing;

/// <summary>
/// The batched, resumable robust-seed search against the definition (one unpadded two-row forward per seed,
/// <see cref="RobustSeeds.IsRobust"/>): the same seeds, no more programs scored than the ranks need, and its progress.
/// </summary>
public sealed class RobustSeedSearchTests
{
    [Theory(DisplayName = "Robust-seed search on the embedded model: the seeds the one-seed-at-a-time definition finds")]
    [InlineData(1, 5)]
    [InlineData(3, 17)]
    public void SameSeedsAsDefinitionOnEmbeddedModel(int hops, int lines)
    {
        using var model = CausalLanguageModel.Load(EmbeddedModelTests.Folder);
        var tokenizer = ModelTokenizer.FromFolder(EmbeddedModelTests.Folder);
        var expected = Definition(model, tokenizer, hops, lines, count: 3, limit: 200);

        var search = new RobustSeedSearch(model, tokenizer, hops, lines, 200);
        search.Extend(3).Should().Equal(expected);
        search.Progress.Tried.Should().Be((int)expected[^1] + 1, "the search stops at the last seed it needs");
    }

    [Fact(DisplayName = "Robust-seed search on a random model: the definition's (empty) result, every seed tried, twins run only when the program is answered")]
    public void SameResultOnRandomModel()
    {
        using var folder = new TempFolder();
        using var model = CausalLanguageModel.Load(TestCheckpoints.Random(folder.Sub("m"), seed: 3));
        var tokenizer = ModelTokenizer.FromFolder(folder.Sub("m"));
        var expected = Definition(model, tokenizer, hops: 2, lines: 5, count: 3, limit: 30);

        var reports = new List<SeedSearchProgress>();
        var search = new RobustSeedSearch(model, tokenizer, 2, 5, 30);
        search.Extend(3, new Collect(reports)).Should().Equal(expected);
        var done = search.Progress;
        done.Found.Should().Be(expected.Count);
        done.Tried.Should().Be(expected.Count == 3 ? (int)expected[^1] + 1 : 30);
        done.Prompts.Should().BeInRange(done.Tried, 2 * done.Tried);
        done.Forwards.Should().BeLessThan(done.Tried, "several programs share a forward");
        reports.Should().NotBeEmpty().And.HaveCount(reports.Select(r => r.Tried).Distinct().Count(), "one report per batch");
        reports.Select(r => r.Tried).Should().BeInAscendingOrder();
        reports[^1].Should().Be(done with { Elapsed = reports[^1].Elapsed }, "the last report is where the search ended");
    }

    [Fact(DisplayName = "Robust-seed search resumes: one rank, then three, tries what a three-rank search tries and no more")]
    public void ResumesWhereItStopped()
    {
        using var model = CausalLanguageModel.Load(EmbeddedModelTests.Folder);
        var tokenizer = ModelTokenizer.FromFolder(EmbeddedModelTests.Folder);
        var fresh = new RobustSeedSearch(model, tokenizer, 2, 5, 200);
        var three = fresh.Extend(3);

        var resumed = new RobustSeedSearch(model, tokenizer, 2, 5, 200);
        var one = resumed.Extend(1);
        one.Should().Equal(three.Take(1));
        resumed.Progress.Tried.Should().Be((int)three[0] + 1, "one rank needs only the first robust seed");
        resumed.Extend(3).Should().Equal(three);
        resumed.Progress.Tried.Should().Be(fresh.Progress.Tried);
        resumed.Extend(2).Should().Equal(three.Take(2), "asking for fewer searches nothing");
        resumed.Progress.Tried.Should().Be(fresh.Progress.Tried);
    }

    [Fact(DisplayName = "Seed search progress reads as programs tried, found, elapsed and rate")]
    public void ProgressText()
    {
        var p = new SeedSearchProgress(2, 5, 40, 1, 3, 200, 7, 52, 1480, TimeSpan.FromSeconds(8));
        p.ToString().Should().Be("robust seeds, hops 2, 5 lines: tried 40/200 programs, found 1/3, 8.0 s, 5.0 programs/s");
        p.Cost.Should().Be("40 programs, 52 prompts (1,480 tokens) in 7 forwards, 8.0 s");
        p.Done.Should().BeFalse();
        (p with { Found = 3 }).Done.Should().BeTrue();
        (p with { Tried = 200 }).Done.Should().BeTrue();
    }

    // The definition: seeds in order, one unpadded forward of the program and its twin each.
    private static List<ulong> Definition(CausalLanguageModel model, ModelTokenizer tokenizer, int hops, int lines, int count, ulong limit)
    {
        var seeds = new List<ulong>();
        for (ulong s = 0; s < limit && seeds.Count < count; s++)
            if (RobustSeeds.IsRobust(model, BindingTracingCase.Create(tokenizer, hops, lines, s))) seeds.Add(s);
        return seeds;
    }

    private sealed class Collect(List<SeedSearchProgress> into) : IProgress<SeedSearchProgress>
    {
        public void Report(SeedSearchProgress value) => into.Add(value);
    }
}
