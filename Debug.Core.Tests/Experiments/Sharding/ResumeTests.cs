using Debug.Core.Experiments;
using Debug.Core.Experiments.Resume;
using Debug.Core.Prompts;
using Debug.Core.Reports;
using Debug.Core.Tasks.Generators;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments.Sharding;

/// <summary>Runs that save finished groups, resume after a crash, and run only a shard's groups.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _sevens, _random;

    public ResumeTests()
    {
        _sevens = TestCheckpoints.ConstantAnswer(_temp.Sub("sevens"), '7');
        _random = TestCheckpoints.Random(_temp.Sub("random"));
    }

    public void Dispose() => _temp.Dispose();

    private ExperimentConfig Config(int n = 12) =>
        ExperimentConfig.Quick("variable_binding", PromptTemplates.VariableBinding, new VariableBindingGenerator(), n,
            seqLens: [2, 4, 6], models: [_sevens, _random], maxNewTokens: 3) with { BatchSize = 4 };

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    private sealed class Crash(int afterReports) : IProgress<RunProgress>
    {
        public int Reports { get; private set; }

        public void Report(RunProgress value)
        {
            if (++Reports == afterReports) throw new OperationCanceledException("killed mid-run");
        }
    }

    private sealed class Count : IProgress<RunProgress>
    {
        public List<RunProgress> Reports { get; } = [];
        public void Report(RunProgress value) => Reports.Add(value);
    }

    [Fact(DisplayName = "Resume: a run killed mid-group keeps its finished groups and, rerun, ends with the same files as an uninterrupted run")]
    public void KilledRunResumes()
    {
        using var runner = new ExperimentRunner();
        string whole = _temp.Sub("whole"), resumed = _temp.Sub("resumed");
        runner.Run(Config(), scope: new RunScope { Folder = whole });

        // 3 batches per group: the 8th report is the middle of the third group (model 1, length 6).
        var crash = () => runner.Run(Config(), new Crash(8), new RunScope { Folder = resumed });
        crash.Should().Throw<OperationCanceledException>();
        Directory.GetFiles(Path.Combine(resumed, GroupCheckpoints.FolderName)).Select(Path.GetFileName)
            .Should().BeEquivalentTo("sevens_len2.json", "sevens_len4.json");
        File.Exists(Path.Combine(resumed, ResultsWriter.ResultsFile)).Should().BeFalse("the run never finished");

        var progress = new Count();
        runner.Run(Config(), progress, new RunScope { Folder = resumed });
        progress.Reports.Select(p => (p.Model, p.SeqLen)).Distinct().Should().Equal(
            [("sevens", 6), ("random", 2), ("random", 4), ("random", 6)], "finished groups are not run again");

        var expected = Files(whole);
        var actual = Files(resumed);
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (name, bytes) in expected) actual[name].Should().Equal(bytes, "{0} is the same as without the crash", name);
    }

    [Fact(DisplayName = "Resume: a saved group from other settings is refused, naming the file and the setting")]
    public void OtherSettingsRefused()
    {
        using var runner = new ExperimentRunner();
        string folder = _temp.Sub("settings");
        runner.Run(Config(n: 4), scope: new RunScope { Folder = folder });
        var act = () => runner.Run(Config(n: 4) with { MaxNewTokens = 5 }, scope: new RunScope { Folder = folder });
        act.Should().Throw<InvalidDataException>().WithMessage("*sevens_len2.json*max new tokens 3 (now 5)*");
        var more = () => runner.Run(Config(n: 5), scope: new RunScope { Folder = folder });
        more.Should().Throw<InvalidDataException>().WithMessage("*cases 4 (now 5)*");
    }

    [Fact(DisplayName = "Shard scope: only the included groups run, and a model with none is never loaded")]
    public void IncludeRunsOnlyThoseGroups()
    {
        using var runner = new ExperimentRunner(new RunnerOptions { WriteFiles = false });
        var result = runner.Run(Config(n: 4), scope: new RunScope { Include = g => g.Model == "random" && g.SeqLen != 4 });
        result.Cases.Select(c => (c.Model, c.SeqLen)).Distinct().Should().Equal([("random", 2), ("random", 6)]);
        runner.ListLoaded().Should().Equal("random");

        var none = runner.Run(Config(n: 4), scope: new RunScope { Include = _ => false });
        none.Cases.Should().BeEmpty();
        none.OutputFolder.Should().BeNull();
    }
}
