using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tokenization;
using Debug.Core.Training;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Training;

public class EmbeddedVocabularyTests
{
    [Fact(DisplayName = "Embedded tokenizer.json loads through ModelTokenizer and encodes every byte as its own id")]
    public void FilesRoundTripThroughTheRealTokenizer()
    {
        string dir = Path.Combine(Path.GetTempPath(), "vocab-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            EmbeddedVocabulary.WriteFiles(dir);
            var tok = ModelTokenizer.FromFolder(dir);
            tok.VocabSize.Should().Be(EmbeddedVocabulary.Size);
            tok.EosId.Should().Be(EmbeddedVocabulary.EndOfText);
            var rng = new DeterministicRng(3);
            var texts = Enumerable.Range(0, 200).Select(i => new VariableBindingGenerator().Generate(2 + i % 16, rng).Program)
                .Append("x = 0\nfor i in range(3):\n    x += 2\n#x: ").Append("héllo ✓ 🙂\r\n\t");
            foreach (var text in texts)
            {
                var enc = tok.Encode(text, addSpecialTokens: false);
                enc.Ids.Should().Equal(EmbeddedVocabulary.Encode(text), text);
                tok.Decode(enc.Ids).Should().Be(text);
            }
            tok.Encode("a<|endoftext|>", addSpecialTokens: false).Ids.Should().Equal('a', EmbeddedVocabulary.EndOfText);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact(DisplayName = "Training sequences answer the program's own query first and every answer is the variable's value")]
    public void TrainingSequencesAreCorrect()
    {
        var data = new BindingTrainingData();
        var rng = new DeterministicRng(11);
        for (int i = 0; i < 500; i++)
        {
            var seq = data.Next(rng);
            seq.Tokens.Length.Should().Be(seq.TargetWeights.Length + 1);
            string body = seq.Text[..seq.Text.IndexOf('#')];
            var values = BindingTrainingData.Evaluate(body);
            int answers = 0;
            for (int p = 0; p < seq.TargetWeights.Length; p++)
            {
                if (seq.TargetWeights[p] == 0) continue;
                answers++;
                seq.Text[p].Should().Be(' ');
                seq.Text[p - 1].Should().Be(':');
                string variable = seq.Text[p - 2].ToString();
                ((char)seq.Tokens[p + 1]).Should().Be((char)('0' + values[variable]));
            }
            answers.Should().BeInRange(1, data.MaxQueries);
            // The planted lookup is supervised exactly where the answers are predicted.
            seq.Attention.Where(a => a.Layer >= 1 || a.Head == 1).Should().OnlyContain(a => seq.TargetWeights[a.Query] == 1f);
            seq.Attention.Where(a => a.Layer == 0 && a.Head == 1).Should().OnlyContain(a => seq.Text[a.Key - 1] == '#' && seq.Text[a.Key + 1] == ':');
            // The generator's query (resolved independently) is the first one answered.
            var query = BindingChainResolver.Resolve(body + "#" + seq.Text[body.Length + 1] + ": ");
            seq.Text[body.Length + 4].Should().Be((char)('0' + query.RootValue));
        }
    }
}
