using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Debug.Core.Tokenization;

/// <summary>
/// The supported subset of HuggingFace pre-tokenizers, flattened: a chain of regex splits (each applied to every
/// piece the previous one produced), plus the two pre-tokenizers that also rewrite text — ByteLevel (optional
/// leading space) and Metaspace (spaces to "▁", optional "▁" prefix, optional split before each "▁").
/// </summary>
internal sealed class PreTokenizerSpec
{
    /// <summary>GPT-2's regex, which ByteLevel applies itself when <c>use_regex</c> is true.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    // Compiling a regex costs tens of milliseconds; tokenizers of one family share their pattern.
    private static readonly ConcurrentDictionary<string, Regex> RegexCache = new();

    private readonly List<Regex> _splits = [];

    /// <summary>Whether a ByteLevel step is present (the model then works on UTF-8 bytes).</summary>
    public bool ByteLevel { get; set; }

    /// <summary>ByteLevel's add_prefix_space: a space is put in front of a segment that does not start with one.</summary>
    public bool AddPrefixSpace { get; set; }

    /// <summary>Metaspace's replacement character, or null when there is no Metaspace step.</summary>
    public string? MetaspaceReplacement { get; set; }

    /// <summary>Metaspace's prepend_scheme: "always", "first" or "never".</summary>
    public string MetaspacePrependScheme { get; set; } = "always";

    /// <summary>Metaspace's split: every "▁" starts a new piece.</summary>
    public bool MetaspaceSplit { get; set; }

    /// <summary>Whether any step splits the text (otherwise each segment is one BPE word).</summary>
    public bool Splits => _splits.Count > 0 || (MetaspaceReplacement is not null && MetaspaceSplit);

    /// <summary>Adds a Split step with behavior Isolated: matches and the gaps between them both become pieces.</summary>
    public void AddIsolatedSplit(string pattern, bool isRegex)
    {
        string regexPattern = isRegex ? pattern : Regex.Escape(pattern);
        _splits.Add(RegexCache.GetOrAdd(regexPattern,
            p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant)));
    }

    /// <summary>The text rewrites (prefix space, metaspace) for the segment starting at <paramref name="originalStart"/>.</summary>
    public void Rewrite(AlignedText segment, int originalStart)
    {
        if (AddPrefixSpace && segment.Length > 0 && !segment.StartsWith(" "))
            segment.Prepend(" ");
        if (MetaspaceReplacement is { } rep)
        {
            segment.Replace(" ", rep);
            bool prepend = MetaspacePrependScheme switch
            {
                "always" => true,
                "first" => originalStart == 0,
                _ => false,
            };
            if (prepend && segment.Length > 0 && !segment.StartsWith(rep))
                segment.Prepend(rep);
        }
    }

    /// <summary>Cuts <paramref name="text"/> into pieces (start, length), in order, covering all of it.</summary>
    public void Split(string text, List<(int Start, int Length)> pieces)
    {
        pieces.Clear();
        if (text.Length == 0) return;
        pieces.Add((0, text.Length));
        if (MetaspaceReplacement is { } rep && MetaspaceSplit)
            SplitBeforeEach(text, rep, pieces);
        foreach (var regex in _splits)
            SplitIsolated(text, regex, pieces);
    }

    private static void SplitIsolated(string text, Regex regex, List<(int Start, int Length)> pieces)
    {
        // Fast path for the common single-split case: one pass over the whole text.
        if (pieces.Count == 1 && pieces[0] == (0, text.Length))
        {
            pieces.Clear();
            AddIsolated(text, 0, text.Length, regex, pieces);
            return;
        }
        var input = pieces.ToArray();
        pieces.Clear();
        foreach (var (start, length) in input) AddIsolated(text, start, length, regex, pieces);
    }

    private static void AddIsolated(string text, int start, int length, Regex regex, List<(int Start, int Length)> pieces)
    {
        int cursor = start;
        foreach (var m in regex.EnumerateMatches(text.AsSpan(start, length)))
        {
            if (m.Length == 0) continue;
            int matchStart = start + m.Index;
            if (matchStart > cursor) pieces.Add((cursor, matchStart - cursor));
            pieces.Add((matchStart, m.Length));
            cursor = matchStart + m.Length;
        }
        if (cursor < start + length) pieces.Add((cursor, start + length - cursor));
    }

    private static void SplitBeforeEach(string text, string delimiter, List<(int Start, int Length)> pieces)
    {
        pieces.Clear();
        int pieceStart = 0;
        for (int i = 1; i < text.Length; i++)
        {
            if (string.CompareOrdinal(text, i, delimiter, 0, delimiter.Length) == 0)
            {
                pieces.Add((pieceStart, i - pieceStart));
                pieceStart = i;
            }
        }
        pieces.Add((pieceStart, text.Length - pieceStart));
    }
}
