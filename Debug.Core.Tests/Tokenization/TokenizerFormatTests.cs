using Debug.Core.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tokenization;

/// <summary>Unsupported or malformed files fail with the file and the JSON path of the field.</summary>
public class TokenizerFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tokfmt").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string json)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".tokenizer.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Bpe = "\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2}, \"merges\": [\"a b\"]}";

    [Theory(DisplayName = "Unsupported and malformed files name the field")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}", "model.type", "Unigram")]
    [InlineData("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}", "model.type", "WordPiece")]
    [InlineData("{\"normalizer\": {\"type\": \"Lowercase\"}, " + Bpe + "}", "normalizer.type", "Lowercase")]
    [InlineData("{\"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Digits\"}]}, " + Bpe + "}", "pre_tokenizer.pretokenizers[0].type", "Digits")]
    [InlineData("{\"decoder\": {\"type\": \"WordPiece\"}, " + Bpe + "}", "decoder.type", "WordPiece")]
    [InlineData("{\"version\": \"1.0\"}", "model", "missing")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"x\"}}}", "model.vocab[\"a\"]", "integer")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a\"]}}", "model.merges[0]", "left right")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a a\"]}}", "model.merges", "vocabulary")]
    [InlineData("{\"model\": ", "", "JSON")]
    public void NamesTheField(string json, string jsonPath, string problem)
    {
        string path = Write(json);
        var act = () => ModelTokenizer.FromFile(path);
        var e = act.Should().Throw<TokenizerFormatException>().Which;
        e.JsonPath.Should().Be(jsonPath);
        e.FilePath.Should().Be(path);
        e.Message.Should().Contain(path).And.Contain(problem);
    }

    [Fact(DisplayName = "Both merge forms are read: \"a b\" strings and [a, b] arrays")]
    public void MergeForms()
    {
        var strings = ModelTokenizer.FromFile(Write("{" + Bpe + "}"));
        var arrays = ModelTokenizer.FromFile(Write("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2}, \"merges\": [[\"a\", \"b\"]]}}"));
        strings.Encode("ab").Ids.Should().Equal(2);
        arrays.Encode("ab").Ids.Should().Equal(2);
    }

    [Fact(DisplayName = "A missing file is a FileNotFoundException")]
    public void MissingFile()
    {
        var act = () => ModelTokenizer.FromFile(Path.Combine(_dir, "nope.json"));
        act.Should().Throw<FileNotFoundException>();
    }
}
