namespace Debug.Core.Tokenization;

/// <summary>
/// A token's character range [Start, End) in the text that was encoded. Tokens added by the post-processor
/// (BOS/EOS) have the empty range (0, 0), as in HuggingFace.
/// </summary>
/// <param name="Start">First character (inclusive).</param>
/// <param name="End">End (exclusive).</param>
public readonly record struct TokenOffset(int Start, int End)
{
    /// <summary>Number of characters covered.</summary>
    public int Length => End - Start;

    /// <summary>True when the token covers no character (special tokens added around the text).</summary>
    public bool IsEmpty => End <= Start;

    /// <summary>Whether character <paramref name="index"/> lies in [Start, End).</summary>
    public bool Contains(int index) => index >= Start && index < End;
}
