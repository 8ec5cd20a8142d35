using System.Text.Json.Nodes;
using Debug.Core.Model.Loading;
using Debug.Core.Training;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Training;

public class FamilyTrainerTests
{
    private static readonly string[] Families = ["framework_counter", "exception_handling"];

    private static FamilyTrainerOptions Small(int steps) => new()
    {
        Steps = steps, BatchSize = 4, WarmupSteps = 2, EvalEvery = 1000, LogEvery = 2, EvalCasesPerLength = 2, FinalEvalCasesPerLength = 3,
        MaxMerges = 200, Threads = 1, Families = Families, LaterStages = [],
        Model = new EmbeddedModelSpec { Hidden = 16, Layers = 2, Heads = 2, HeadDim = 8, Intermediate = 32, MaxPositions = 512 },
    };

    [Fact(DisplayName = "Tracker trainer: an interrupted run resumed from its checkpoint ends with the same weights and eval.json as an uninterrupted one")]
    public void ResumeIsExact()
    {
        using var straight = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        using var resumed = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        new FamilyTrainer(Small(6), straight.Path, _ => { }).Run().Should().BeOfType<FamilyEvaluationResult>();
        new FamilyTrainer(Small(6) with { StopAtStep = 3 }, resumed.Path, _ => { }).Run().Should().BeNull();
        File.Exists(Path.Combine(resumed.Path, "eval.json")).Should().BeFalse("an interrupted run has not finished");
        new FamilyTrainer(Small(6), resumed.Path, _ => { }).Run().Should().BeOfType<FamilyEvaluationResult>();
        File.ReadAllText(Path.Combine(resumed.Path, "eval.json")).Should().Be(File.ReadAllText(Path.Combine(straight.Path, "eval.json")));
        // Two separate processes' worth of runs from the same seed: the tokenizer and every weight agree bit for bit.
        File.ReadAllText(Path.Combine(resumed.Path, "tokenizer.json")).Should().Be(File.ReadAllText(Path.Combine(straight.Path, "tokenizer.json")));
        SameWeights.Assert(straight.Path, resumed.Path);
    }

    [Fact(DisplayName = "Tracker trainer: a run that ended after its first stage resumes through two later stages exactly as an uninterrupted three-stage run")]
    public void LaterStagesResumeExactly()
    {
        var second = new TrainingStage(3, 1e-3, 1, new Dictionary<string, double> { ["framework_counter"] = 0.5, ["exception_handling"] = 3.0 });
        var third = new TrainingStage(2, 5e-4, 1, new Dictionary<string, double> { ["exception_handling"] = 6.0 });
        using var straight = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        using var staged = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        using var twoStages = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        new FamilyTrainer(Small(3) with { LaterStages = [second, third] }, straight.Path, _ => { }).Run().Should().BeOfType<FamilyEvaluationResult>();
        new FamilyTrainer(Small(3) with { LaterStages = [second] }, twoStages.Path, _ => { }).Run().Should().BeOfType<FamilyEvaluationResult>();
        // Ended after the first stage, then resumed with both later stages: the shipped model's own history, one stage more.
        new FamilyTrainer(Small(3), staged.Path, _ => { }).Run().Should().BeOfType<FamilyEvaluationResult>();
        new FamilyTrainer(Small(3) with { LaterStages = [second, third] }, staged.Path, _ => { }).Run().Should().BeOfType<FamilyEvaluationResult>();
        SameWeights.Assert(straight.Path, staged.Path);
        File.ReadAllText(Path.Combine(staged.Path, "eval.json")).Should().Be(File.ReadAllText(Path.Combine(straight.Path, "eval.json")));
        var act = () => SameWeights.Assert(twoStages.Path, staged.Path);
        act.Should().Throw<Exception>("the third stage trained the weights further");
        File.ReadLines(Path.Combine(staged.Path, "training_log.csv")).Last().Should().StartWith("8,", "the log continues through the later stages");
    }

    [Fact(DisplayName = "Tracker trainer: a later stage weighting a family that does not exist is refused, naming it")]
    public void LaterStageRejectsUnknownFamily()
    {
        using var dir = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        var stage = new TrainingStage(2, 1e-3, 1, new Dictionary<string, double> { ["exception_handlng"] = 3.0 });
        var act = () => new FamilyTrainer(Small(2) with { LaterStages = [TrainingStage.TrackerRefinement with { Steps = 1 }, stage] }, dir.Path, _ => { }).Run();
        act.Should().Throw<ArgumentException>().WithMessage("LaterStages[1]*exception_handlng*known: *exception_handling*");
        Directory.Exists(Path.Combine(dir.Path, "work")).Should().BeFalse("nothing is written before the options are checked");
    }

    [Fact(DisplayName = "Tracker trainer: the checkpoint loads as Qwen3 with its learned tokenizer, and eval.json has every family, length and applicable baseline")]
    public void OutputsAreComplete()
    {
        using var dir = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        var eval = new FamilyTrainer(Small(2), dir.Path, _ => { }).Run()!;
        foreach (var f in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json", "eval.json", "eval_errors.json", "training_log.csv", "training_log.png" })
            File.Exists(Path.Combine(dir.Path, f)).Should().BeTrue(f);
        using var model = Debug.Core.Model.CausalLanguageModel.Load(dir.Path);
        model.Config.ModelType.Should().Be("qwen3");
        model.Config.VocabSize.Should().Be(LearnedBpeVocabulary.Read(Path.Combine(dir.Path, "tokenizer.json")).Size);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "eval.json")))!;
        json["n_per_length"]!.GetValue<int>().Should().Be(3);
        foreach (var family in Families.Select(TrackerFamilies.Get))
            foreach (int length in family.Lengths)
            {
                string len = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                json[family.Name]![len]!.GetValue<double>().Should().BeApproximately(eval.Accuracy[family.Name][length], 1e-4);
                json["baselines"]![FamilyBaselines.MostFrequentTrainingAnswer]![family.Name]![len]!.GetValue<double>().Should().BeInRange(0, 1);
                json["baselines"]![FamilyBaselines.LastNumber]![family.Name]![len]!.GetValue<double>().Should().BeInRange(0, 1);
            }
        // The counter loops over range(n); exception programs have no loop, so that baseline is absent for them.
        json["baselines"]![FamilyBaselines.RangeArgument]!["framework_counter"]!["2"]!.GetValue<double>().Should().Be(1.0, "count = n is the range argument");
        json["baselines"]![FamilyBaselines.RangeArgument]!.AsObject().ContainsKey("exception_handling").Should().BeFalse();
        var header = File.ReadLines(Path.Combine(dir.Path, "training_log.csv")).First();
        header.Should().Contain("acc_framework_counter").And.Contain("acc_exception_handling");
    }

    [Fact(DisplayName = "Tracker training data: loss weights cover exactly the answer tokens and end-of-text")]
    public void SupervisesOnlyTheAnswer()
    {
        var vocabulary = LearnedBpeVocabulary.Learn(["x = 0\nThe final value of x is: 12"], 50);
        using var dir = Debug.Core.Tests.Model.Loading.FixturePaths.Temp();
        vocabulary.WriteFiles(dir.Path, 512);
        var tokenizer = Debug.Core.Tokenization.ModelTokenizer.FromFolder(dir.Path);
        var family = TrackerFamilies.Get("framework_counter");
        var data = new FamilyTrainingData([family], tokenizer, vocabulary.EndOfText);
        var task = family.Generator.Generate(3, new Debug.Core.Tasks.PythonCompat.NumpyRandomState(0));
        var sequence = data.Build(family, task);
        int promptTokens = tokenizer.Encode(family.Template.Render(task.Program).Text).Ids.Count;
        int answerTokens = tokenizer.Encode(task.Expected).Ids.Count;
        sequence.Tokens.Length.Should().Be(promptTokens + answerTokens + 1);
        sequence.Tokens[^1].Should().Be(vocabulary.EndOfText);
        var supervised = Enumerable.Range(0, sequence.Tokens.Length).Where(i => sequence.TargetWeights[i] > 0).ToList();
        supervised.Should().Equal(Enumerable.Range(promptTokens - 1, answerTokens + 1), "position i predicts token i + 1: the answer's tokens and end-of-text");
    }
}
