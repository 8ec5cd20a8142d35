using Debug.Core.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tokenization;

public class ModelTokenizerTests
{
    [Fact(DisplayName = "GPT-2 from the data package: known ids, byte-level tokens, offsets and decode")]
    public void Gpt2()
    {
        var gpt2 = TokenizerFixtures.Gpt2();
        var e = gpt2.Encode("Hello world<|endoftext|> x");
        e.Ids.Should().Equal(15496, 995, 50256, 2124);
        e.Tokens.Should().Equal("Hello", "Ġworld", "<|endoftext|>", "Ġx");
        e.Offsets.Should().Equal(new TokenOffset(0, 5), new TokenOffset(5, 11), new TokenOffset(11, 24), new TokenOffset(24, 26));
        gpt2.Decode(e.Ids).Should().Be("Hello world<|endoftext|> x");
        gpt2.Decode(e.Ids, skipSpecialTokens: true).Should().Be("Hello world x");
        gpt2.BosId.Should().Be(50256);
        gpt2.EosId.Should().Be(50256);
        gpt2.PadId.Should().BeNull();
        gpt2.VocabSize.Should().Be(50257);
        gpt2.TokenToId("Ġworld").Should().Be(995);
        gpt2.IdToToken(198).Should().Be("Ċ");
    }

    [Fact(DisplayName = "Offsets: UTF-16 for C#, code points for HuggingFace; they differ only after an emoji")]
    public void EmojiOffsets()
    {
        var qwen = TokenizerFixtures.Load("qwen3");
        var e = qwen.Encode("a 🙂 b");
        e.Offsets.Select(o => (o.Start, o.End)).Should().Equal((0, 1), (1, 4), (4, 6));
        e.CodePointOffsets.Select(o => (o.Start, o.End)).Should().Equal((0, 1), (1, 3), (3, 5));
        var gpt2 = TokenizerFixtures.Gpt2().Encode("a 🙂 b");
        gpt2.Offsets.Last().Should().Be(new TokenOffset(4, 6));
        gpt2.Offsets.Should().AllSatisfy(o => o.End.Should().BeGreaterThan(o.Start));
    }

    [Fact(DisplayName = "Special ids and sizes come from tokenizer.json and tokenizer_config.json")]
    public void SpecialIds()
    {
        var qwen = TokenizerFixtures.Load("qwen3");
        qwen.BosId.Should().BeNull();
        qwen.EosId.Should().Be(151645);
        qwen.PadId.Should().Be(151643);
        qwen.VocabSize.Should().Be(151669);
        qwen.Encode("", addSpecialTokens: true).Count.Should().Be(0);

        var llama2 = TokenizerFixtures.Load("llama2");
        llama2.BosId.Should().Be(1);
        llama2.EosId.Should().Be(2);
        llama2.Encode("", addSpecialTokens: true).Ids.Should().Equal(1);
        llama2.Encode("x", addSpecialTokens: true).Offsets[0].Should().Be(new TokenOffset(0, 0));

        var llama3 = TokenizerFixtures.Load("llama3");
        llama3.BosId.Should().Be(128000);
        llama3.PrefixIds.Should().BeEmpty("this file's post-processor adds no BOS");
    }

    [Fact(DisplayName = "Byte fallback: a character missing from Llama 2's vocabulary becomes its UTF-8 bytes")]
    public void ByteFallback()
    {
        var llama2 = TokenizerFixtures.Load("llama2");
        const string text = "a\u0F04b"; // Tibetan mark, not a Llama 2 piece
        var e = llama2.Encode(text);
        e.Tokens.Should().Contain("<0xE0>").And.Contain("<0xBC>").And.Contain("<0x84>");
        e.Offsets.Where((o, i) => e.Tokens[i].StartsWith("<0x", StringComparison.Ordinal)).Should().AllBeEquivalentTo(new TokenOffset(1, 2));
        llama2.Decode(e.Ids).Should().Be(text);
    }

    [Fact(DisplayName = "FromFolder finds tokenizer.json(.gz) and tokenizer_config.json")]
    public void FromFolder()
    {
        string dir = Directory.CreateTempSubdirectory("tokfolder").FullName;
        try
        {
            File.Copy(Path.Combine(TokenizerFixtures.Dir, "llama2.tokenizer.json.gz"), Path.Combine(dir, "tokenizer.json.gz"));
            File.Copy(Path.Combine(TokenizerFixtures.Dir, "llama2.tokenizer_config.json"), Path.Combine(dir, "tokenizer_config.json"));
            var tokenizer = ModelTokenizer.FromFolder(dir);
            tokenizer.BosId.Should().Be(1);
            tokenizer.Encode("x = 1", addSpecialTokens: true).Ids[0].Should().Be(1);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact(DisplayName = "Encoding from many threads gives the same result as from one")]
    public void ThreadSafe()
    {
        var qwen = TokenizerFixtures.Load("qwen3");
        var texts = Enumerable.Range(0, 200).Select(i => $"v{i} = {i * 7}\nw{i} = v{i}\n#w{i}: ").ToArray();
        var expected = texts.Select(t => qwen.Encode(t).Ids.ToArray()).ToArray();
        var actual = new int[texts.Length][];
        Parallel.For(0, texts.Length, i => actual[i] = qwen.Encode(texts[i]).Ids.ToArray());
        actual.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Fact(DisplayName = "NFC composes a decomposed accent; the composed character's offsets cover both original characters")]
    public void NfcOffsets()
    {
        var qwen = TokenizerFixtures.Load("qwen3");
        const string decomposed = "caf" + "e\u0301 x";
        var e = qwen.Encode(decomposed);
        e.Ids.Should().Equal(qwen.Encode("caf\u00e9 x").Ids);
        e.Offsets[^1].Should().Be(new TokenOffset(5, 7), "' x' follows the two-character 'e\u0301'");
        e.Offsets.Should().Contain(o => o.End == 5, "the token holding the composed 'é' ends after the combining accent");
    }
}
