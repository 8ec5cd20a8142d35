using Debug.Core.Model;
using Debug.Core.Model.Generation;
using FluentAssertions;
using Debug.Core.Tests.Tracing;
using Xunit;

namespace Debug.Core.Tests.Model;

/// <summary>
/// Greedy generation that computes the rows' shared prefix once (<see cref="GreedyGenerator.GenerateSharingPrefix"/>)
/// against today's left-padded batch, on every fixture architecture: the same tokens, row for row.
/// </summary>
public sealed class SharedPrefixGenerationTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(SharedPrefixGivesTheSameTokens), MemberType = typeof(TracingFixtures))]
    public void SharedPrefixGivesTheSameTokens(string fixture)
    {
        var f = ReferenceFixture.Get(ReferenceFixture.AllFolders().First(x => ReferenceFixture.DisplayName(x) == fixture));
        var ids = f.Reference["single.input_ids"].flatten().data<long>().Select(i => (int)i).ToArray();
        // A 7-token prefix, then rows of 1 to 12 more tokens (left padding of up to 11, and rows longer than Gemma-2's
        // sliding window of 8, so the window must count positions across the padding), plus a row that differs at
        // the prefix's last token from the others' continuation.
        var prefix = ids.Take(7).ToArray();
        int[] Tail(int n, int shift) => Enumerable.Range(0, n).Select(i => ids[(i * 3 + shift) % ids.Length]).ToArray();
        IReadOnlyList<int>[] rows =
        [
            [.. prefix, .. Tail(12, 1)], [.. prefix, .. Tail(1, 2)], [.. prefix, .. Tail(5, 4)], [.. prefix, .. Tail(9, 5)],
        ];
        SharedPrefix.Length(rows).Should().Be(7 + (rows.All(r => r[7] == rows[0][7]) ? 1 : 0));
        var options = new GenerationOptions(8, EosTokenIds: []);
        var (padded, mask) = LeftPadding.Pad(rows, f.Model.Config.PadTokenId ?? 0);
        var today = GreedyGenerator.Generate(f.Model, padded, mask, options);
        var shared = GreedyGenerator.GenerateSharingPrefix(f.Model, rows, f.Model.Config.PadTokenId ?? 0, options);
        for (int r = 0; r < rows.Length; r++)
            shared[r].Should().Equal(today[r], $"{fixture} row {r} ({rows[r].Count} tokens) must decode the same with the prefix shared");
        output.WriteLine($"{fixture}: {rows.Length} rows, {SharedPrefix.Length(rows)} shared tokens, 8 tokens each identical");
        padded.Dispose();
        mask.Dispose();
    }

    [Fact(DisplayName = "Shared prefix: the longest common token prefix, 0 when rows differ at once or there are none")]
    public void PrefixLength()
    {
        SharedPrefix.Length([[1, 2, 3, 4], [1, 2, 3], [1, 2, 9, 4]]).Should().Be(2);
        SharedPrefix.Length([[1, 2], [1, 2]]).Should().Be(2);
        SharedPrefix.Length([[5, 2], [1, 2]]).Should().Be(0);
        SharedPrefix.Length([]).Should().Be(0);
    }

    [Fact(DisplayName = "Shared prefix: identical prompts and a single prompt still decode like the padded batch")]
    public void DegenerateBatches()
    {
        var f = ReferenceFixture.Get(ReferenceFixture.AllFolders().First(x => ReferenceFixture.DisplayName(x) == "qwen3"));
        var ids = f.Reference["single.input_ids"].flatten().data<long>().Select(i => (int)i).ToArray();
        var options = new GenerationOptions(4, EosTokenIds: []);
        foreach (IReadOnlyList<int>[] rows in new IReadOnlyList<int>[][] { [ids, ids], [ids] })
        {
            var (padded, mask) = LeftPadding.Pad(rows);
            var today = GreedyGenerator.Generate(f.Model, padded, mask, options);
            var shared = GreedyGenerator.GenerateSharingPrefix(f.Model, rows, 0, options);
            for (int r = 0; r < rows.Length; r++) shared[r].Should().Equal(today[r]);
        }
    }
}
