namespace Debug.Core.Tokenization;

/// <summary>
/// Finds added tokens in raw text, before normalization, the way HuggingFace's AddedVocabulary does: leftmost match
/// first and, among matches at the same place, the longest. Microsoft.ML.Tokenizers can split special tokens too, but
/// only after its own normalizer has run, and it ignores lstrip/rstrip/single_word, so the split is done here.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    /// <summary>Indexes <paramref name="tokens"/> by first character, longest first.</summary>
    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    /// <summary>
    /// Cuts <paramref name="text"/> into plain-text pieces (TokenId = -1) and added tokens. With lstrip/rstrip the
    /// token's piece also covers the whitespace it swallows, which is then not encoded separately (as in HuggingFace).
    /// </summary>
    public void Split(string text, List<(int Start, int End, int TokenId)> output)
    {
        int plainStart = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (_byFirstChar.TryGetValue(text[i], out var candidates) && TryMatch(text, i, candidates, out var token))
            {
                int start = i, end = i + token.Content.Length;
                if (token.LStrip)
                    while (start > plainStart && char.IsWhiteSpace(text[start - 1])) start--;
                if (token.RStrip)
                    while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
                if (start > plainStart) output.Add((plainStart, start, -1));
                output.Add((start, end, token.Id));
                plainStart = i = end;
                continue;
            }
            i++;
        }
        if (plainStart < text.Length) output.Add((plainStart, text.Length, -1));
    }

    private static bool TryMatch(string text, int at, AddedToken[] candidates, out AddedToken match)
    {
        foreach (var token in candidates)
        {
            if (at + token.Content.Length > text.Length || string.CompareOrdinal(text, at, token.Content, 0, token.Content.Length) != 0)
                continue;
            if (token.SingleWord && !IsWordBoundary(text, at, at + token.Content.Length))
                continue;
            match = token;
            return true;
        }
        match = null!;
        return false;
    }

    private static bool IsWordBoundary(string text, int start, int end)
    {
        static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
        return (start == 0 || !IsWordChar(text[start - 1])) && (end == text.Length || !IsWordChar(text[end]));
    }
}
