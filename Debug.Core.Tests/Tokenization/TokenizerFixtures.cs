using System.Collections.Concurrent;
using Debug.Core.Tokenization;

namespace Debug.Core.Tests.Tokenization;

/// <summary>Loads each fixture tokenizer once per test run; loading takes a few hundred milliseconds.</summary>
internal static class TokenizerFixtures
{
    private static readonly ConcurrentDictionary<string, Lazy<ModelTokenizer>> Cache = new();

    /// <summary>The folder with the copied HuggingFace tokenizer files and goldens.</summary>
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tokenizers");

    /// <summary>The tokenizer whose files are <c>&lt;name&gt;.tokenizer.json.gz</c> in <paramref name="dir"/>.</summary>
    public static ModelTokenizer Load(string name, string? dir = null)
    {
        string path = Path.Combine(dir ?? Dir, name + ".tokenizer.json.gz");
        return Cache.GetOrAdd(path, p => new Lazy<ModelTokenizer>(() => ModelTokenizer.FromFile(p))).Value;
    }

    /// <summary>GPT-2 from the data package, cached.</summary>
    public static ModelTokenizer Gpt2() => Cache.GetOrAdd("gpt2", _ => new Lazy<ModelTokenizer>(ModelTokenizer.Gpt2)).Value;
}
