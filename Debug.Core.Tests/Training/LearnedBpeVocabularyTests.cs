using System.IO.Compression;
using System.Text.Json.Nodes;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tests.Tokenization;
using Debug.Core.Tokenization;
using Debug.Core.Training;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Training;

public class LearnedBpeVocabularyTests
{
    private static IEnumerable<string> Prompts(int seed) =>
        from family in TrackerFamilies.All
        from length in family.Lengths.Take(3)
        let task = family.Generator.Generate(length, new NumpyRandomState(seed))
        select family.Template.Render(task.Program, task.Metadata.QueryVariable).Text + task.Expected;

    private static string WriteTokenizer(LearnedBpeVocabulary vocabulary)
    {
        string dir = Path.Combine(Path.GetTempPath(), "bpe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        vocabulary.WriteFiles(dir, 512);
        return dir;
    }

    [Fact(DisplayName = "Learned BPE: the same corpus gives the same merges, and tokenizer.json reads back to them")]
    public void LearningIsDeterministic()
    {
        var a = LearnedBpeVocabulary.Learn(Prompts(1_000_000), 300);
        var b = LearnedBpeVocabulary.Learn(Prompts(1_000_000), 300);
        a.Merges.Should().Equal(b.Merges);
        a.Merges.Should().NotBeEmpty();
        string dir = WriteTokenizer(a);
        try
        {
            LearnedBpeVocabulary.Read(Path.Combine(dir, "tokenizer.json")).Merges.Should().Equal(a.Merges);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact(DisplayName = "Learned BPE: the split regex is Qwen3's own, byte for byte")]
    public void SplitPatternIsQwen3s()
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(TokenizerFixtures.Dir, "qwen3.tokenizer.json.gz")), CompressionMode.Decompress);
        var qwen = JsonNode.Parse(gz)!;
        qwen["pre_tokenizer"]!["pretokenizers"]![0]!["pattern"]!["Regex"]!.GetValue<string>().Should().Be(LearnedBpeVocabulary.SplitPattern);
    }

    [Fact(DisplayName = "Learned BPE: held-out prompts round-trip, digits stay single tokens, the prompt's tokens prefix prompt+answer, and the template compresses")]
    public void EncodesPromptsAsGenerationSeesThem()
    {
        var vocabulary = LearnedBpeVocabulary.Learn(Prompts(1_000_000), 1000);
        string dir = WriteTokenizer(vocabulary);
        try
        {
            var tok = ModelTokenizer.FromFolder(dir);
            tok.VocabSize.Should().Be(vocabulary.Size);
            tok.EosId.Should().Be(vocabulary.EndOfText);
            foreach (var family in TrackerFamilies.All)
                foreach (int length in family.Lengths)
                {
                    // Seed 7 is one of the suite's own cases, never in the corpus above.
                    var task = family.Generator.Generate(length, new NumpyRandomState(7));
                    string prompt = family.Template.Render(task.Program, task.Metadata.QueryVariable).Text;
                    var ids = tok.Encode(prompt).Ids;
                    tok.Decode(ids).Should().Be(prompt, family.Name);
                    ids.Count.Should().BeLessThan(prompt.Length / 2, $"{family.Name}: the template's words are merged");
                    foreach (int id in tok.Encode(task.Expected).Ids)
                        tok.Decode([id]).Count(char.IsAsciiDigit).Should().BeLessThanOrEqualTo(1, $"{family.Name} answer {task.Expected}");
                    // A non-negative answer leaves the prompt's final space a token of its own. A negative one does not
                    // (" -" is one pre-token), which is why training encodes prompt and answer separately, as generation sees them.
                    if (task.Expected.All(char.IsAsciiDigit))
                        tok.Encode(prompt + task.Expected).Ids.Take(ids.Count).Should().Equal(ids, $"{family.Name}: the final 'is: ' space is its own token");
                }
        }
        finally { Directory.Delete(dir, true); }
    }
}
