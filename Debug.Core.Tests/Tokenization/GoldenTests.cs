using System.Text.Json;
using FluentAssertions;
using Xunit;
using Xunit.Sdk;

namespace Debug.Core.Tests.Tokenization;

/// <summary>
/// Proof of equality with HuggingFace: every row of every <c>*.goldens.jsonl</c> in Fixtures/tokenizers and in the
/// folders listed in DEBUG_TOKENIZER_GOLDENS (separated by <see cref="Path.PathSeparator"/>), each with its
/// <c>&lt;name&gt;.tokenizer.json.gz</c> beside it.
/// </summary>
public class GoldenTests
{
    /// <summary>One goldens row, named "file #line" so a failure says which.</summary>
    public sealed class Row : IXunitSerializable
    {
        /// <summary>For xunit.</summary>
        public Row() { }

        internal Row(string dir, string file, int index) => (Dir, File, Index) = (dir, file, index);

        internal string Dir { get; private set; } = "";
        internal string File { get; private set; } = "";
        internal int Index { get; private set; }

        /// <inheritdoc />
        public void Deserialize(IXunitSerializationInfo info)
        {
            Dir = info.GetValue<string>("dir") ?? "";
            File = info.GetValue<string>("file") ?? "";
            Index = info.GetValue<int>("index");
        }

        /// <inheritdoc />
        public void Serialize(IXunitSerializationInfo info)
        {
            info.AddValue("dir", Dir);
            info.AddValue("file", File);
            info.AddValue("index", Index);
        }

        /// <inheritdoc />
        public override string ToString() => $"{File} #{Index}";
    }

    public static TheoryData<Row> Rows()
    {
        var dirs = new List<string> { TokenizerFixtures.Dir };
        var extra = Environment.GetEnvironmentVariable("DEBUG_TOKENIZER_GOLDENS");
        if (!string.IsNullOrWhiteSpace(extra))
            dirs.AddRange(extra.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var data = new TheoryData<Row>();
        foreach (var dir in dirs.Distinct())
        {
            foreach (var path in Directory.GetFiles(dir, "*.goldens.jsonl").Order(StringComparer.Ordinal))
            {
                int lines = System.IO.File.ReadLines(path).Count(l => l.Trim().Length > 0);
                for (int i = 0; i < lines; i++) data.Add(new Row(dir, Path.GetFileName(path), i));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Golden(Row row)
    {
        string name = row.File[..^".goldens.jsonl".Length];
        var tokenizer = TokenizerFixtures.Load(name, row.Dir);
        string line = System.IO.File.ReadLines(Path.Combine(row.Dir, row.File)).Where(l => l.Trim().Length > 0).ElementAt(row.Index);
        using var doc = JsonDocument.Parse(line);
        var g = doc.RootElement;
        string text = g.GetProperty("text").GetString()!;

        var plain = tokenizer.Encode(text, addSpecialTokens: false);
        plain.Ids.Should().Equal(Ints(g.GetProperty("ids")), "ids of {0}", Show(text));
        plain.Tokens.Should().Equal(g.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()), "tokens of {0}", Show(text));
        var offsets = g.GetProperty("offsets").EnumerateArray().Select(o => (o[0].GetInt32(), o[1].GetInt32()));
        plain.CodePointOffsets.Select(o => (o.Start, o.End)).Should().Equal(offsets, "offsets of {0}", Show(text));

        tokenizer.Encode(text, addSpecialTokens: true).Ids.Should().Equal(Ints(g.GetProperty("ids_with_special")), "ids_with_special of {0}", Show(text));
        tokenizer.Decode(plain.Ids).Should().Be(g.GetProperty("decoded").GetString(), "decode of {0}", Show(text));
    }

    private static IEnumerable<int> Ints(JsonElement array) => array.EnumerateArray().Select(x => x.GetInt32());

    private static string Show(string text) => Debug.Core.Serialization.DebugJson.Serialize(text.Length > 80 ? text[..80] + "…" : text);
}
