namespace Debug.Core.Tasks;

/// <summary>One assignment on the path from the queried variable to its root literal.</summary>
/// <param name="Variable">The variable assigned on this line.</param>
/// <param name="Depth">Referential depth of <paramref name="Variable"/>: 1 when the right side is a literal, n+1 when it names a depth-n variable.</param>
/// <param name="LineIndex">0-based line index in the program.</param>
/// <param name="RhsSpan">Offsets (end exclusive) of the right-hand side (the literal or the referenced name) in the program text.</param>
public sealed record ChainLink(string Variable, int Depth, int LineIndex, CharSpan RhsSpan);

/// <summary>
/// Where the answer to a variable-binding program comes from, with character spans a tokenizer can map to token
/// positions for activation patching.
/// </summary>
/// <param name="QueryVariable">The variable named in the final <c>#q: </c> line.</param>
/// <param name="Chain">Variables from the query (first) to the variable bound to the literal (last).</param>
/// <param name="RootValue">The literal at the end of the chain; the expected answer.</param>
/// <param name="ReferentialDepth">Number of assignments followed, i.e. <c>Links.Count</c>.</param>
/// <param name="Links">
/// Ordered by depth: <c>Links[0]</c> is the line whose right side is the root literal (depth 1), the last link is
/// the query variable's own assignment (depth = <paramref name="ReferentialDepth"/>).
/// </param>
/// <param name="QueryVariableSpan">Span of the variable name inside the query line.</param>
/// <param name="LastCharSpan">Span of the program's last character (the space after <c>#q:</c>).</param>
public sealed record VariableBindingMetadata(
    string QueryVariable,
    IReadOnlyList<string> Chain,
    int RootValue,
    int ReferentialDepth,
    IReadOnlyList<ChainLink> Links,
    CharSpan QueryVariableSpan,
    CharSpan LastCharSpan) : TaskMetadata(QueryVariable)
{
    /// <summary>Span of the root literal (the right side of <c>Links[0]</c>), the token a counterfactual changes.</summary>
    public CharSpan RootSpan => Links[0].RhsSpan;
}
