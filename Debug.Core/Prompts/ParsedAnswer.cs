namespace Debug.Core.Prompts;

/// <summary>The outcome of parsing a model's answer.</summary>
/// <typeparam name="T">The answer type (<see cref="long"/> or <see cref="bool"/>).</typeparam>
/// <param name="IsParsed">Whether an answer was found.</param>
/// <param name="Value">The answer; <c>default</c> when <paramref name="IsParsed"/> is false.</param>
/// <param name="MatchedText">The substring the value was read from (for error analysis), or null.</param>
public readonly record struct ParsedAnswer<T>(bool IsParsed, T Value, string? MatchedText) where T : struct
{
    /// <summary>A result meaning "no answer found".</summary>
    public static ParsedAnswer<T> NotParsed => new(false, default, null);

    /// <summary>Whether an answer was found and equals <paramref name="expected"/>.</summary>
    /// <param name="expected">The correct answer.</param>
    public bool Is(T expected) => IsParsed && EqualityComparer<T>.Default.Equals(Value, expected);
}
