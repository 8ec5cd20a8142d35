using Debug.Core.Experiments.Tracing;
using Debug.Core.Tests.Tokenization;
using Debug.Core.Tests.Training;
using Debug.Core.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tracing;

/// <summary>
/// Tracing cases under every real tokenizer: the two prompts line up token for token, differ first at the root
/// literal, end at the prediction position, and each answer token is the one that follows its prompt.
/// </summary>
public sealed class BindingTracingCaseTests
{
    public static TheoryData<string> Tokenizers => new("tiny", "qwen3", "llama3", "llama2", "gpt2");

    private static ModelTokenizer Load(string name) => name switch
    {
        "gpt2" => TokenizerFixtures.Gpt2(),
        "tiny" => ModelTokenizer.FromFolder(EmbeddedModelTests.Folder),
        _ => TokenizerFixtures.Load(name),
    };

    [Theory(DisplayName = "Tracing case: aligned prompts, root first, answers follow their prompts")]
    [MemberData(nameof(Tokenizers))]
    public void CasesLineUp(string tokenizerName)
    {
        var tokenizer = Load(tokenizerName);
        for (ulong seed = 0; seed < 60; seed++)
        {
            int hops = 1 + (int)(seed % 3), lines = seed % 2 == 0 ? 5 : 17;
            var c = BindingTracingCase.Create(tokenizer, hops, lines, seed);
            c.Pair.Length.Should().Be(c.Tokens.Counterfactual.Count);
            c.Pair.FirstDifference.Should().Be(c.Root, "{0}: the prompts first differ at the root literal", c);
            c.Prediction.Should().Be(c.Pair.Length - 1, "{0}: the prediction is the last token", c);
            c.LinkPositions.Should().HaveCount(hops);

            // The answer token continues the prompt: its tokens followed by the answer token spell prompt + answer.
            string expected = c.Twin.Original.Expected, cfExpected = c.Twin.Counterfactual.Expected;
            tokenizer.Decode([.. c.Tokens.Clean.Ids, c.Pair.CleanAnswer!.Value], skipSpecialTokens: true)
                .Should().Be(c.Twin.Original.Program + expected, "{0}: the answer token follows the prompt", c);
            tokenizer.Decode([.. c.Tokens.Counterfactual.Ids, c.Pair.CounterfactualAnswer!.Value], skipSpecialTokens: true)
                .Should().Be(c.Twin.Counterfactual.Program + cfExpected);
            tokenizer.Decode([c.Pair.CleanAnswer!.Value]).Trim().Should().Be(expected);
            tokenizer.Decode([c.Pair.CounterfactualAnswer!.Value]).Trim().Should().Be(cfExpected);
            c.Pair.CleanAnswer.Should().NotBe(c.Pair.CounterfactualAnswer, "{0}: the flip changes the answer", c);
        }
    }

    [Fact(DisplayName = "Answer token: a tokenizer that merges the answer into the prompt is refused by name")]
    public void MergedAnswerIsRefused()
    {
        var tokenizer = TokenizerFixtures.Load("qwen3");
        // Letters run together into one pre-token, so "a" + "bzqxjv" does not encode as "a"'s token followed by more,
        // and "bzqxjv" alone is not one token either (if it were, the fallback would take it).
        string prompt = "a";
        var ids = tokenizer.Encode(prompt, addSpecialTokens: true).Ids;
        var act = () => BindingTracingCase.AnswerToken(tokenizer, prompt, ids, "bzqxjv");
        act.Should().Throw<ArgumentException>().WithParameterName("answer").WithMessage("*merges the answer 'bzqxjv'*");
    }
}
