using Debug.Core.Interventions;
using Debug.Core.Prompts;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tests.Tokenization;
using Debug.Core.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tracing;

/// <summary>Patch positions by target name, and patching pairs built from a real tokenizer's counterfactual encodings.</summary>
public sealed class TracingTargetsTests
{
    [Fact(DisplayName = "Targets by name: ref_depth_k_rhs, query_var, prediction, all")]
    public void PositionsByName()
    {
        var tokenizer = TokenizerFixtures.Load("qwen3");
        var c = VariableBindingGenerator.GenerateExactHops(5, 2, new DeterministicRng(7));
        var metadata = (VariableBindingMetadata)c.Metadata;
        var prompt = PromptTemplates.VariableBinding.Render(c.Program, metadata.QueryVariable);
        var encoding = tokenizer.Encode(prompt.Text, addSpecialTokens: true);
        var targets = TokenTargets.ForVariableBinding(encoding, metadata, prompt.CodeOffset);

        PatchPositions.Resolve(targets, encoding.Count, "ref_depth_1_rhs", "ref_depth_2_rhs", "query_var", "prediction")
            .Should().Equal(targets.RefDepth(1).Position, targets.RefDepth(2).Position, targets.QueryVar.Position, targets.Prediction.Position);
        PatchPositions.Resolve(targets, encoding.Count, "prediction", "all").Should().HaveCount(encoding.Count, "duplicates are dropped")
            .And.StartWith(targets.Prediction.Position);
        FluentActions.Invoking(() => PatchPositions.Resolve(targets, encoding.Count, "ref_depth_3_rhs"))
            .Should().Throw<ArgumentException>().WithMessage("*ref_depth_3_rhs*known*");
    }

    [Fact(DisplayName = "A root-flipped pair starts differing at the root literal's token")]
    public void PairFromCounterfactualTokens()
    {
        var tokenizer = TokenizerFixtures.Load("qwen3");
        var original = VariableBindingGenerator.GenerateExactHops(5, 2, new DeterministicRng(3));
        var twin = VariableBindingCounterfactual.FlipRoot(original.Program, new DeterministicRng(4));
        var tokens = CounterfactualTokens.Compare(tokenizer, original.Program, twin.Counterfactual.Program);
        var pair = PatchingPair.From(tokens);
        var targets = TokenTargets.ForVariableBinding(tokens.Clean, (VariableBindingMetadata)original.Metadata, 0);
        pair.FirstDifference.Should().Be(targets.RefDepth(1).Position);
        tokens.DifferingPositions.Should().Equal(pair.FirstDifference);
    }
}
