namespace Debug.Core.Tasks;

/// <summary>One generated benchmark item.</summary>
/// <param name="Program">Python 3 source shown to the model.</param>
/// <param name="Expected">
/// What Python would print for the queried variable (<c>str(value)</c>: <c>"42"</c>, <c>"-3"</c>, <c>"True"</c>).
/// </param>
/// <param name="Metadata">Typed facts about the program; the concrete type depends on the generator.</param>
public sealed record TaskCase(string Program, string Expected, TaskMetadata Metadata);
