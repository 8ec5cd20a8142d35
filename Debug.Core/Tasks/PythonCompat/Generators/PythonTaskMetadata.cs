namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>Metadata of a Python-framework program whose only fact is the queried variable.</summary>
/// <param name="QueryVariable">The variable whose final value is the answer (<c>x</c>, <c>result</c>, <c>count</c>).</param>
/// <param name="Generator">The framework function that made it, e.g. <c>make_range_program</c>.</param>
public sealed record PythonTaskMetadata(string QueryVariable, string Generator) : TaskMetadata(QueryVariable);

/// <summary>One link of a binding chain as the framework's <c>TokenAnalyzer</c> reports it.</summary>
/// <param name="Variable">The assigned variable.</param>
/// <param name="RefersTo">Its right-hand side: another variable, or the root digit for the last link.</param>
public sealed record PythonBindingLink(string Variable, string RefersTo);

/// <summary>Metadata of <c>make_variable_binding_program</c>.</summary>
/// <param name="QueryVariable">The variable named on the <c>#q: </c> line.</param>
/// <param name="QueryHops">The framework's <c>query_hops</c>: the query's depth when it was assigned (a digit is 1).</param>
/// <param name="Chain">The chain from the query to its root, as <c>identify_variable_chain</c> reads it from the text.</param>
public sealed record PythonVariableBindingMetadata(string QueryVariable, int QueryHops, IReadOnlyList<PythonBindingLink> Chain)
    : TaskMetadata(QueryVariable);

/// <summary>Metadata of <c>make_sequence</c>.</summary>
/// <param name="QueryVariable">Always <c>x</c>.</param>
/// <param name="Intermediates">x after each line, starting with the initial 0 (the framework's second return value).</param>
public sealed record PythonSequenceMetadata(string QueryVariable, IReadOnlyList<long> Intermediates) : TaskMetadata(QueryVariable);
