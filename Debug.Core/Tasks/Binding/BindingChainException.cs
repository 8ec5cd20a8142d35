namespace Debug.Core.Tasks;

/// <summary>Why a variable-binding program has no well-defined answer.</summary>
public enum BindingChainError
{
    /// <summary>A line is neither <c>name = literal</c>, <c>name = name</c>, blank, nor a comment.</summary>
    MalformedLine,
    /// <summary>The program does not end with a <c>#name: </c> query line.</summary>
    MissingQuery,
    /// <summary>A name on the chain has no earlier assignment (Python would raise NameError).</summary>
    NoRoot,
    /// <summary>The names refer to each other in a loop (e.g. <c>a = b</c>, <c>b = a</c>) so no literal is ever reached.</summary>
    Circular,
}

/// <summary>Thrown by <see cref="BindingChainResolver"/> when a program's query cannot be traced to a literal.</summary>
public sealed class BindingChainException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The kind of failure.</param>
    /// <param name="lineIndex">0-based line where the failure was detected, or -1 for the whole program.</param>
    /// <param name="message">Human-readable explanation.</param>
    public BindingChainException(BindingChainError error, int lineIndex, string message) : base(message)
    {
        Error = error;
        LineIndex = lineIndex;
    }

    /// <summary>The kind of failure.</summary>
    public BindingChainError Error { get; }

    /// <summary>0-based line where the failure was detected, or -1 when it concerns the whole program.</summary>
    public int LineIndex { get; }
}
