namespace Debug.Core.Tasks;

/// <summary>
/// Base of the typed per-task metadata. Every task asks for the final value of one variable, so that name lives here;
/// each generator's record adds what is specific to its programs.
/// </summary>
/// <param name="QueryVariable">The variable whose final value is the expected answer.</param>
public abstract record TaskMetadata(string QueryVariable);
