using Debug.Core.Interventions;
using Debug.Core.Model;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tests.Training;
using Debug.Core.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tracing;

/// <summary>The fast sweep against the naive method on the shipped embedded model with a root-flipped binding pair.</summary>
public sealed class TracingEmbeddedModelTests(ITestOutputHelper output)
{
    [Fact(DisplayName = "Embedded model: fast sweep equals naive (1e-5) on a variable-binding counterfactual pair")]
    public void FastEqualsNaiveOnBindingPair()
    {
        using var model = CausalLanguageModel.Load(EmbeddedModelTests.Folder);
        var tokenizer = ModelTokenizer.FromFolder(EmbeddedModelTests.Folder);
        var original = VariableBindingGenerator.GenerateExactHops(5, 2, new DeterministicRng(11));
        var twin = VariableBindingCounterfactual.FlipRoot(original.Program, new DeterministicRng(12));
        var tokens = CounterfactualTokens.Compare(tokenizer, original.Program, twin.Counterfactual.Program, addSpecialTokens: false);
        int Answer(string digit) => tokenizer.Encode(digit, addSpecialTokens: false).Ids.Single();
        var pair = PatchingPair.From(tokens, Answer(original.Expected), Answer(twin.Counterfactual.Expected));
        var targets = TokenTargets.ForVariableBinding(tokens.Clean, (VariableBindingMetadata)original.Metadata, 0);
        int root = targets.RefDepth(1).Position, t = pair.Length;
        pair.FirstDifference.Should().Be(root);

        int[] positions = [0, root - 1, root, root + 1, targets.RefDepth(2).Position, targets.QueryVar.Position, t - 1];
        var cells = PatchCell.Grid(PatchKind.ResidPre, model.NumLayers, positions)
            .Concat(PatchCell.Grid(PatchKind.ResidPost, model.NumLayers, positions))
            .Concat(PatchCell.Grid(PatchKind.MlpOut, model.NumLayers, positions))
            .Concat(PatchCell.Grid(PatchKind.AttnHead, model.NumLayers, [root, t - 1], model.NumHeads))
            .ToList();
        using var fast = PatchSweep.Run(model, pair, cells);
        using var naive = NaivePatching.Run(model, pair, cells);
        double worst = TracingFixtures.AssertSameMetrics("tiny", fast, naive, 1e-5);
        output.WriteLine($"tiny: {cells.Count} cells, max metric diff fast vs naive {worst:G3}");

        // The mechanism where the model is right: it answers the root, and the root literal's residual at layer 0
        // carries the answer; before the root nothing can change.
        fast.Baseline.CleanTop.Should().Be(pair.CleanAnswer!.Value);
        fast.Baseline.CounterfactualTop.Should().Be(pair.CounterfactualAnswer!.Value);
        fast[new PatchCell(PatchKind.ResidPre, 0, root)].FlippedToCounterfactual.Should().BeTrue();
        fast[new PatchCell(PatchKind.ResidPre, 0, root - 1)].NormalizedEffect.Should().Be(0);
    }
}
