using Debug.Core.Model.Loading;
using Debug.Core.Training;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Training;

public class BindingTrainerTests
{
    private static BindingTrainerOptions Tiny(int steps) => new()
    {
        Steps = steps, BatchSize = 4, WarmupSteps = 2, EvalEvery = 1000, EvalCasesPerHop = 4, FinalEvalCasesPerHop = 8,
        QueriesPerProgram = 3, CurriculumStartLines = 3, Threads = 1,
        Model = new EmbeddedModelSpec { Hidden = 16, Layers = 5, Heads = 2, HeadDim = 8, Intermediate = 32, MaxPositions = 256 },
    };

    [Fact(DisplayName = "Trainer: an interrupted run resumed from its checkpoint ends with the same weights as an uninterrupted one")]
    public void ResumeIsExact()
    {
        using var straight = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        using var resumed = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        new BindingTrainer(Tiny(8), straight.Path, _ => { }).Run()!.Accuracy.Keys.Should().BeEquivalentTo([1, 2, 3, 4]);
        new BindingTrainer(Tiny(8) with { StopAtStep = 4 }, resumed.Path, _ => { }).Run().Should().BeNull();
        File.Exists(Path.Combine(resumed.Path, "eval.json")).Should().BeFalse("an interrupted run has not finished");
        new BindingTrainer(Tiny(8), resumed.Path, _ => { }).Run()!.Accuracy.Keys.Should().BeEquivalentTo([1, 2, 3, 4]);
        File.ReadAllText(Path.Combine(resumed.Path, "eval.json")).Should().Be(File.ReadAllText(Path.Combine(straight.Path, "eval.json")));

        SameWeights.Assert(straight.Path, resumed.Path);
    }

    [Fact(DisplayName = "Trainer: the written checkpoint loads as a Qwen3 model and eval.json has every hop and baseline")]
    public void OutputsAreComplete()
    {
        using var dir = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        var eval = new BindingTrainer(Tiny(3), dir.Path, _ => { }).Run()!;
        foreach (var f in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json", "eval.json", "training_log.csv" })
            File.Exists(Path.Combine(dir.Path, f)).Should().BeTrue(f);
        using var model = Debug.Core.Model.CausalLanguageModel.Load(dir.Path);
        model.Config.ModelType.Should().Be("qwen3");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "eval.json")))!;
        json["n_per_hop"]!.GetValue<int>().Should().Be(8);
        foreach (var hop in new[] { "1", "2", "3", "4" })
        {
            json["variable_binding"]![hop]!.GetValue<double>().Should().BeApproximately(eval.Accuracy[int.Parse(hop)], 1e-4);
            foreach (var baseline in ShortcutBaselines.Names)
                json["baselines"]![baseline]![hop]!.GetValue<double>().Should().BeApproximately(eval.Baselines[baseline][int.Parse(hop)], 1e-4);
        }
        eval.Accuracy.Keys.Should().BeEquivalentTo([1, 2, 3, 4]);
    }

    [Fact(DisplayName = "Attention targets: RHS→LHS, answer→query variable, then the chain one link per layer, staying on the root")]
    public void AttentionTargetsFollowTheChain()
    {
        // positions:    a=0..5 "a = 5\n", b=6..11 "b = a\n", c=12..17 "c = 3\n", query "#b: " at 18
        const string body = "a = 5\nb = a\nc = 3\n";
        var targets = BindingTrainingData.AttentionTargets(body, [("b", 18)]);
        targets.Should().Equal(
            new AttentionTarget(0, 0, 4, 0), new AttentionTarget(0, 0, 10, 6), new AttentionTarget(0, 0, 16, 12),
            new AttentionTarget(0, 1, 21, 19),
            new AttentionTarget(1, 0, 21, 10), new AttentionTarget(2, 0, 21, 4), new AttentionTarget(3, 0, 21, 4), new AttentionTarget(4, 0, 21, 4));
    }

    [Theory(DisplayName = "Shortcut baselines score a known program")]
    [InlineData("last_digit", 0.0)]
    [InlineData("most_frequent_digit", 1.0)]
    [InlineData("first_constant", 1.0)]
    [InlineData("uniform_distinct_digits", 0.5)]
    public void Baselines(string name, double expected) =>
        ShortcutBaselines.Score(name, "a = 5\nb = a\nc = 3\n#b: ", 5).Should().Be(expected);
}
