namespace Debug.Core.Tasks;

/// <summary>A half-open range of character offsets [<paramref name="Start"/>, <paramref name="End"/>) into a text.</summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="End">Offset one past the last character (END EXCLUSIVE).</param>
public readonly record struct CharSpan(int Start, int End)
{
    /// <summary>Number of characters covered.</summary>
    public int Length => End - Start;

    /// <summary>Returns this span moved by <paramref name="offset"/> characters (e.g. from program into prompt coordinates).</summary>
    /// <param name="offset">Characters to add to both ends.</param>
    public CharSpan Shift(int offset) => new(Start + offset, End + offset);

    /// <summary>Returns the characters of <paramref name="text"/> this span covers.</summary>
    /// <param name="text">The text the span indexes.</param>
    public string Slice(string text) => text[Start..End];
}
