namespace Debug.Core.Experiments.Endpoints;

/// <summary>
/// The in-process runner's stop rule applied to text: a completion ends at the first newline that follows some
/// text (a leading blank line does not end it). An endpoint cannot be told this rule (an OpenAI <c>stop</c> of
/// "\n" would also cut a leading newline), so endpoint completions are requested without stop strings and cut here.
/// </summary>
public static class AnswerLine
{
    /// <summary>The text up to and including the first newline after a non-whitespace character; all of it when there is none.</summary>
    public static string Cut(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
        int newline = text.IndexOf('\n', start);
        return newline < 0 ? text : text[..(newline + 1)];
    }
}
