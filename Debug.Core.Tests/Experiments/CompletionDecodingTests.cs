using Debug.Core.Experiments;
using Debug.Core.Prompts;
using Debug.Core.Reports;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tests.Tokenization;
using Debug.Core.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>
/// Completions are decoded from the whole generated id sequence, so a character whose UTF-8 bytes are split across
/// tokens comes out whole instead of as U+FFFD per piece, and raw_output is exactly the tokenizer's decode of the
/// recorded ids.
/// </summary>
public sealed class CompletionDecodingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact(DisplayName = "Two completions are equal when their text, counts and generated ids are, whatever list holds the ids")]
    public void CompletionEqualityComparesIdsByValue()
    {
        var a = new Completion("12", 40, 3) { Ids = new List<int> { 16, 17, 0 } };
        var b = new Completion("12", 40, 3) { Ids = new[] { 16, 17, 0 } };
        a.Should().Be(b, "a benchmark's outputs_identical compares completions of two code paths, whose id lists are different objects");
        a.GetHashCode().Should().Be(b.GetHashCode());
        (a == (b with { Ids = [16, 18, 0] })).Should().BeFalse("a different generated id is a different completion");
        (a == (b with { PromptTokens = 41 })).Should().BeFalse();
    }

    [Fact(DisplayName = "A completion whose 'é' spans two byte tokens is recorded as 'é', equal to the decode of its output ids")]
    public void MultiByteCharacterAcrossTokens()
    {
        // 'é' is C3 A9 in UTF-8: two tokens of the byte vocabulary, neither a character on its own.
        string folder = TestCheckpoints.Script(_temp.Sub("accent"), [0xC3, 0xA9, '\n']);
        using var runner = new ExperimentRunner(new RunnerOptions { ResultsRoot = _temp.Sub("results"), HashCacheFolder = _temp.Sub("cache") });
        var config = ExperimentConfig.Quick("variable_binding", PromptTemplates.VariableBinding, new VariableBindingGenerator(), 3,
            seqLens: [3], models: [folder], maxNewTokens: 4);
        var result = runner.Run(config);
        var tokenizer = runner.Models.Get(ModelReference.Parse(folder)).Tokenizer;

        tokenizer.Decode([0xC3]).Should().Be("\uFFFD", "one byte of a two-byte character is not a character");
        string.Concat(new[] { 0xC3, 0xA9, '\n' }.Select(id => tokenizer.Decode([id]))).Should().Be("\uFFFD\uFFFD\n", "token by token the character is lost");
        result.Cases.Should().HaveCount(3).And.OnlyContain(c => c.RawOutput == "é\n" && !c.RawOutput.Contains('\uFFFD'));
        result.Cases.Should().OnlyContain(c => c.OutputIds!.SequenceEqual(new[] { 0xC3, 0xA9, '\n' }));
        result.Cases.Should().OnlyContain(c => c.RawOutput == tokenizer.Decode(c.OutputIds!, true));

        var read = ResultsWriter.ReadCases(Path.Combine(result.OutputFolder!, ResultsWriter.ResultsFile));
        read.Select(c => $"{c.RawOutput}|{string.Join(",", c.OutputIds!)}").Should().AllBe("é\n|195,169,10", "results.json keeps both");
    }

    [Theory(DisplayName = "Qwen3 tokenizer: characters split across tokens decode whole only from the whole sequence")]
    [InlineData("x = '𓀀'")]
    [InlineData("ꙮ = 5")]
    [InlineData("x = '𠀋'")]
    public void WholeSequenceDecodeOfSplitCharacters(string text)
    {
        var qwen = TokenizerFixtures.Load("qwen3");
        var ids = qwen.Encode(text).Ids;
        ids.Select(id => qwen.Decode(new[] { id })).Should().Contain(piece => piece.Contains('\uFFFD'), "the case must really split a character across tokens");
        qwen.Decode(ids).Should().Be(text);
    }
}
