using System.Text.Json;
using Debug.Core.Experiments;
using Debug.Core.Model.Loading;
using Debug.Core.Prompts;
using Debug.Core.Reports;
using Debug.Core.Tasks.Generators;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>The runner end to end on throwaway checkpoints: scoring, files, determinism, padding, caching.</summary>
public sealed class ExperimentRunnerTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _sevens;

    public ExperimentRunnerTests() => _sevens = TestCheckpoints.ConstantAnswer(_temp.Sub("sevens"), '7');

    public void Dispose() => _temp.Dispose();

    private ExperimentRunner Runner(bool cache = true, bool files = true, bool continueOnError = false) =>
        new(new RunnerOptions { ResultsRoot = _temp.Sub("results"), CacheModels = cache, WriteFiles = files, ContinueOnModelError = continueOnError });

    private ExperimentConfig Binding(int n = 30, IReadOnlyList<int>? hops = null, params string[] models) =>
        ExperimentConfig.Quick("variable_binding", PromptTemplates.VariableBinding, new VariableBindingGenerator(), n,
            seqLens: [3, 6], models: models.Length == 0 ? [_sevens] : models, hops: hops, maxNewTokens: 4);

    [Fact]
    public void Scores_a_case_correct_exactly_when_the_answer_is_the_models_constant()
    {
        using var runner = Runner(files: false);
        var result = runner.Run(Binding());

        result.Cases.Should().HaveCount(60);
        result.Cases.Should().OnlyContain(c => c.RawOutput == "7\n" && c.Predicted == "7");
        result.Cases.Should().OnlyContain(c => c.Correct == (c.Expected == "7"));
        result.Cases.Should().Contain(c => c.Correct).And.Contain(c => !c.Correct);
        result.Cases.Should().OnlyContain(c => c.Model == "sevens" && c.Hops >= 1 && c.Prompt == c.Program);
        result.Summary.Overall.Correct.Should().Be(result.Cases.Count(c => c.Expected == "7"));
        result.CasesPerSecond.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Case_i_is_the_same_program_whatever_the_count_and_batch_size()
    {
        var few = ExperimentRunner.GenerateCases(Binding(n: 5), 6, null);
        var many = ExperimentRunner.GenerateCases(Binding(n: 40), 6, null);
        many.Take(5).Select(c => c.Program).Should().Equal(few.Select(c => c.Program));
        many.Select(c => c.Program).Distinct().Count().Should().BeGreaterThan(30, "different seeds give different programs");

        using var runner = Runner(files: false);
        var a = runner.Run(Binding(n: 10) with { BatchSize = 3 });
        var b = runner.Run(Binding(n: 10) with { BatchSize = 10 });
        a.Cases.Select(c => (c.Program, c.RawOutput)).Should().Equal(b.Cases.Select(c => (c.Program, c.RawOutput)));
    }

    [Fact]
    public void Left_padded_batches_generate_what_single_prompts_generate()
    {
        // A random model is sensitive to every position and mask entry, so a padding or position bug changes its text.
        string random = TestCheckpoints.Random(_temp.Sub("random"));
        using var runner = Runner(files: false);
        var config = ExperimentConfig.Quick("boolean_logic", PromptTemplates.BooleanLogic, new BooleanLogicGenerator(), 6,
            seqLens: [2, 9], models: [random], maxNewTokens: 6);
        var batched = runner.Run(config with { BatchSize = 12 });
        var single = runner.Run(config with { BatchSize = 1 });
        batched.Cases.Select(c => c.RawOutput).Should().Equal(single.Cases.Select(c => c.RawOutput));
        batched.Cases.Select(c => c.Prompt.Length).Distinct().Should().HaveCountGreaterThan(1, "prompts of different lengths share a batch");
    }

    [Fact]
    public void Exact_hops_groups_are_recorded_with_their_hops_and_skip_hops_above_the_length()
    {
        using var runner = Runner(files: false);
        var result = runner.Run(Binding(n: 4, hops: [1, 4]));
        result.Cases.Select(c => (c.SeqLen, c.Hops)).Distinct().Should().BeEquivalentTo(new (int, int?)[] { (3, 1), (6, 1), (6, 4) });
        result.Summary.Groups.Should().HaveCount(3);
        result.Summary.ByHops.Keys.Should().Equal("1", "4");
    }

    [Fact]
    public void Writes_results_summary_csv_and_plot_into_a_timestamped_folder()
    {
        using var runner = Runner();
        var result = runner.Run(Binding(n: 8));

        // The run folder sits directly in the configured results root and exists.
        Path.GetDirectoryName(result.OutputFolder).Should().Be(runner.Options.ResultsRoot);
        Directory.Exists(result.OutputFolder).Should().BeTrue();
        Path.GetFileName(result.OutputFolder!).Should().MatchRegex(@"^variable_binding_\d{8}_\d{6}$");
        var cases = ResultsWriter.ReadCases(Path.Combine(result.OutputFolder!, "results.json"));
        cases.Should().HaveCount(16);
        cases[0].Should().BeEquivalentTo(result.Cases[0], o => o.Excluding(c => c.Metadata));
        cases[0].Metadata!["query_variable"]!.GetValue<string>().Should().Be(result.Cases[0].Program[^3].ToString());

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.OutputFolder!, "summary.json")));
        var overall = summary.RootElement.GetProperty("overall");
        overall.GetProperty("n").GetInt32().Should().Be(16);
        overall.GetProperty("ci_low").GetDouble().Should().BeLessThanOrEqualTo(overall.GetProperty("accuracy").GetDouble());
        summary.RootElement.GetProperty("by_model").TryGetProperty("sevens", out _).Should().BeTrue();
        summary.RootElement.GetProperty("by_length").EnumerateObject().Select(p => p.Name).Should().Equal("3", "6");
        summary.RootElement.GetProperty("by_hops").EnumerateObject().Should().NotBeEmpty();

        var csv = File.ReadAllLines(Path.Combine(result.OutputFolder!, "results_summary.csv"));
        csv[0].Should().Be("model,experiment,accuracy,n,ci_low,ci_high");
        csv[1].Should().StartWith("sevens,variable_binding,").And.Contain(",16,");

        var png = File.ReadAllBytes(Path.Combine(result.OutputFolder!, "accuracy_plot.png"));
        png.Take(4).Should().Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        Directory.GetFiles(result.OutputFolder!, "*.tmp").Should().BeEmpty();

        var second = runner.Run(Binding(n: 2));
        second.OutputFolder.Should().NotBe(result.OutputFolder, "a run never overwrites another");
    }

    [Fact]
    public void A_model_that_is_not_on_disk_fails_with_the_download_command()
    {
        string cache = _temp.Sub("hf-cache");
        Directory.CreateDirectory(cache);
        string? previous = Environment.GetEnvironmentVariable("HF_HUB_CACHE");
        try
        {
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", cache);
            using var runner = Runner(files: false);
            var act = () => runner.Run(Binding(n: 2, models: ["NoSuchOrg/NoSuchModel"]));
            act.Should().Throw<ModelNotFoundException>().WithMessage("*huggingface-cli download NoSuchOrg/NoSuchModel*");

            using var lenient = Runner(files: false, continueOnError: true);
            var result = lenient.Run(Binding(n: 2, models: ["NoSuchOrg/NoSuchModel", _sevens]));
            result.ModelErrors.Should().ContainKey("NoSuchOrg/NoSuchModel");
            result.Summary.ModelErrors["NoSuchOrg/NoSuchModel"].Should().Contain("huggingface-cli download");
            result.Cases.Should().HaveCount(4).And.OnlyContain(c => c.Model == "sevens");
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", previous);
        }
    }

    [Fact]
    public void Caches_models_between_runs_and_unloads_on_request()
    {
        string other = TestCheckpoints.ConstantAnswer(_temp.Sub("fives"), '5');
        using var runner = Runner(files: false);
        runner.Preload(_sevens);
        runner.ListLoaded().Should().Equal("sevens");
        var first = runner.Models.Get(ModelReference.Parse(_sevens));
        runner.Run(Binding(n: 2, models: [_sevens, other]));
        runner.ListLoaded().Should().Equal("fives", "sevens");
        runner.Models.Get(ModelReference.Parse(_sevens)).Should().BeSameAs(first, "a cached model is reused");

        runner.Unload(_sevens).Should().BeTrue();
        first.IsDisposed.Should().BeTrue();
        runner.Unload(_sevens).Should().BeFalse();
        runner.ListLoaded().Should().Equal("fives");
        runner.UnloadAll();
        runner.ListLoaded().Should().BeEmpty();
    }

    [Fact]
    public void A_different_checkpoint_with_the_same_display_name_is_loaded_not_taken_from_the_cache()
    {
        string a = TestCheckpoints.ConstantAnswer(Path.Combine(_temp.Sub("a"), "final"), '7');
        string b = TestCheckpoints.ConstantAnswer(Path.Combine(_temp.Sub("b"), "final"), '3');
        using var runner = Runner(files: false);
        runner.Run(Binding(n: 2, models: [a])).Cases.Should().OnlyContain(c => c.Predicted == "7");
        runner.Run(Binding(n: 2, models: [b])).Cases.Should().OnlyContain(c => c.Predicted == "3");
        var act = () => runner.Run(Binding(n: 2, models: [a, b]));
        act.Should().Throw<ArgumentException>().WithMessage("*share the display name 'final'*");
    }

    [Fact]
    public void Without_caching_each_model_is_freed_after_its_run()
    {
        using var runner = Runner(cache: false, files: false);
        var progress = new List<RunProgress>();
        runner.Run(Binding(n: 5), new SyncProgress(progress.Add));
        runner.ListLoaded().Should().BeEmpty();
        progress.Should().NotBeEmpty();
        progress[^1].ToString().Should().Contain("[variable_binding] sevens seqLen=6").And.Contain("5/5 cases").And.Contain("cases/s");
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    internal sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
