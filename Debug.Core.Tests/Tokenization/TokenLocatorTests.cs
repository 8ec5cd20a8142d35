using Debug.Core.Tasks;
using Debug.Core.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tokenization;

public class TokenLocatorTests
{
    private static TokenOffset[] Offsets(params (int, int)[] ranges) => ranges.Select(r => new TokenOffset(r.Item1, r.Item2)).ToArray();

    [Fact(DisplayName = "A span maps to the token holding its first character, even when that token starts earlier")]
    public void SpanStartingInsideToken()
    {
        // "x = 5\n#c: " as Qwen3 splits it: "#c" is one token.
        var offsets = Offsets((0, 1), (1, 3), (3, 4), (4, 5), (5, 6), (6, 8), (8, 9), (9, 10));
        TokenLocator.TokenFor(offsets, new CharSpan(7, 8)).Should().Be(5);
        TokenLocator.TokenFor(offsets, new CharSpan(4, 5)).Should().Be(3);
        TokenLocator.TokensOverlapping(offsets, new CharSpan(2, 5)).Should().Equal(1, 2, 3);
    }

    [Fact(DisplayName = "A character split across two byte-level tokens belongs to the first; BOS holds nothing")]
    public void SplitCharacterAndBos()
    {
        // BOS (0,0), then "ĠæĿ" [0,2) and "±" [1,2) sharing character 1, as Qwen3 encodes " 東".
        var offsets = Offsets((0, 0), (0, 2), (1, 2), (2, 3));
        TokenLocator.TokenAt(offsets, 0).Should().Be(1);
        TokenLocator.TokenAt(offsets, 1).Should().Be(1);
        TokenLocator.TokenAt(offsets, 2).Should().Be(3);
    }

    [Fact(DisplayName = "An uncovered character maps to the next token; past the end is an error")]
    public void UncoveredCharacter()
    {
        var offsets = Offsets((0, 1), (2, 3));
        TokenLocator.TokenAt(offsets, 1).Should().Be(1);
        var act = () => TokenLocator.TokenAt(offsets, 3);
        act.Should().Throw<ArgumentOutOfRangeException>();
        var empty = () => TokenLocator.TokenFor(offsets, new CharSpan(1, 1));
        empty.Should().Throw<ArgumentException>();
    }

    [Fact(DisplayName = "Real tokenizers: Qwen3 merges '#c', Llama 2 keeps it apart and reports exactness")]
    public void RealTokenizers()
    {
        const string text = "c = 5\n#c: ";
        var qwen = TokenizerFixtures.Load("qwen3").Encode(text);
        var target = TokenLocator.Target("query_var", qwen, new CharSpan(7, 8));
        qwen.Tokens[target.Position].Should().Be("#c");
        target.Exact.Should().BeFalse();

        var llama2 = TokenizerFixtures.Load("llama2").Encode(text, addSpecialTokens: true);
        var t2 = TokenLocator.Target("query_var", llama2, new CharSpan(7, 8));
        llama2.Tokens[t2.Position].Should().Be("c");
        t2.Exact.Should().BeTrue();
        TokenLocator.Target("root", llama2, new CharSpan(4, 5)).Position.Should().Be(4, "BOS, '▁c', '▁=', '▁', '5'");
    }
}
