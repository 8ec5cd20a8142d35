using Debug.Core.Model;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tokenization;
using Debug.Core.Training;
using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Snapshooter.Xunit3;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Training;

/// <summary>The second shipped model (models/tracker) against what its model card claims, and a locked-in output.</summary>
public class TrackerModelTests
{
    private static string Folder => Path.Combine(Path.GetDirectoryName(EmbeddedModelTests.Folder)!, "tracker");

    [Fact(DisplayName = "Tracker model: loads through the Hub code path with its learned tokenizer, under 20 MB")]
    public void LoadsLikeAHubCheckpoint()
    {
        using var model = CausalLanguageModel.Load(Folder);
        model.Config.ModelType.Should().Be("qwen3");
        var tokenizer = ModelTokenizer.FromFolder(Folder);
        model.Config.VocabSize.Should().Be(tokenizer.VocabSize);
        tokenizer.EosId.Should().Be(LearnedBpeVocabulary.Read(Path.Combine(Folder, "tokenizer.json")).EndOfText);
        new FileInfo(Path.Combine(Folder, "model.safetensors")).Length.Should().BeLessThan(20 * 1024 * 1024);
    }

    [Fact(DisplayName = "Tracker model: logits of a fixed range-tracking prompt are locked in a snapshot")]
    public void LogitsSnapshot()
    {
        using var model = CausalLanguageModel.Load(Folder);
        var tokenizer = ModelTokenizer.FromFolder(Folder);
        var family = TrackerFamilies.Get("range_tracking_lines");
        var task = family.Generator.Generate(3, new NumpyRandomState(0));
        string prompt = family.Template.Render(task.Program).Text;
        var ids = tokenizer.Encode(prompt).Ids.Select(i => (long)i).ToArray();
        using var scope = NewDisposeScope();
        var logits = model.Forward(tensor(ids, [1, ids.Length]), logitPositions: [-1])[0, 0];
        // The digits' logits on a 3-decimal grid, compared by value (GridSnapshot), as for tiny.
        var digits = Enumerable.Range(0, 10).ToDictionary(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
            d => new GridNumber(logits[tokenizer.Encode(d.ToString(System.Globalization.CultureInfo.InvariantCulture)).Ids[0]].item<float>(), 3));
        string top = tokenizer.Decode([(int)logits.argmax().item<long>()]);
        GridSnapshot.Match(new { program = task.Program, expected = task.Expected, top, digits }, Snapshot.FullName());
        top.Should().Be(task.Expected[..1], "the first digit of the answer");
    }
}
