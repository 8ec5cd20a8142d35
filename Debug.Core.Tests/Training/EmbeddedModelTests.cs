using Debug.Experiments.Infrastructure;
using Debug.Core.Model;
using Debug.Core.Tokenization;
using Debug.Core.Training;
using FluentAssertions;
using Snapshooter.Xunit3;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Training;

/// <summary>The shipped embedded model (models/tiny) against the bar and a locked-in output.</summary>
public class EmbeddedModelTests
{
    internal static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Debug.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("repository root (Debug.sln) not found"), "models", "tiny");
        }
    }

    [Fact(DisplayName = "Embedded model: held-out binding accuracy meets the bar and beats every shortcut at every hop")]
    public void MeetsTheBar()
    {
        using var model = CausalLanguageModel.Load(Folder);
        // 150 held-out programs per hop, re-run here (not read from eval.json) so a change in the engine shows.
        var eval = BindingEvaluation.Evaluate(model, casesPerHop: 150);
        eval.Accuracy[1].Should().BeGreaterThanOrEqualTo(0.95);
        eval.Accuracy[2].Should().BeGreaterThanOrEqualTo(0.90);
        eval.Accuracy[3].Should().BeGreaterThanOrEqualTo(0.80);
        for (int hop = 1; hop <= 4; hop++)
            foreach (var (name, byHop) in eval.Baselines)
                eval.Accuracy[hop].Should().BeGreaterThan(byHop[hop], $"{name} at {hop} hops");
    }

    [Fact(DisplayName = "Embedded model: loads through the Hub code path with its own tokenizer.json")]
    public void LoadsLikeAHubCheckpoint()
    {
        using var model = CausalLanguageModel.Load(Folder);
        model.Config.ModelType.Should().Be("qwen3");
        var tokenizer = ModelTokenizer.FromFolder(Folder);
        tokenizer.Encode("a = 5\n#a: ", addSpecialTokens: false).Ids.Should().Equal(EmbeddedVocabulary.Encode("a = 5\n#a: "));
        new FileInfo(Path.Combine(Folder, "model.safetensors")).Length.Should().BeLessThan(10 * 1024 * 1024);
    }

    [Fact(DisplayName = "Embedded model: logits of a fixed program are locked in a snapshot")]
    public void LogitsSnapshot()
    {
        using var model = CausalLanguageModel.Load(Folder);
        const string program = "c = 7\nk = c\nq = 2\nz = k\n#z: ";
        var ids = EmbeddedVocabulary.Encode(program).Select(i => (long)i).ToArray();
        using var scope = NewDisposeScope();
        var logits = model.Forward(tensor(ids, [1, ids.Length]), logitPositions: [-1])[0, 0];
        // The digits' logits on a 3-decimal grid, compared by value (GridSnapshot): well above float noise (~1e-5),
        // far below any real change, and stable when a CPU's kernels move a value across a rounding boundary.
        var digits = Enumerable.Range('0', 10).ToDictionary(d => ((char)d).ToString(), d => new GridNumber(logits[d].item<float>(), 3));
        var top = (char)logits.argmax().item<long>();
        GridSnapshot.Match(new { program, top = top.ToString(), digits }, Snapshot.FullName());
        top.Should().Be('7');
    }
}
