namespace Debug.Core.Experiments;

/// <summary>
/// A model failed part-way through a run (an endpoint went away, a request kept failing). The groups it had
/// completed are kept: written to the run folder and returned in <see cref="PartialResult"/>.
/// </summary>
public sealed class ExperimentRunException : Exception
{
    internal ExperimentRunException(string model, int completedGroups, Exception inner, ExperimentResult? partial = null)
        : base(Describe(model, completedGroups, partial?.OutputFolder, inner), inner)
    {
        Model = model;
        CompletedGroups = completedGroups;
        PartialResult = partial;
    }

    /// <summary>The model that failed.</summary>
    public string Model { get; }

    /// <summary>Groups of that model completed before the failure.</summary>
    public int CompletedGroups { get; }

    /// <summary>What the run had completed (with its folder when files are written), or null.</summary>
    public ExperimentResult? PartialResult { get; }

    internal ExperimentRunException WithPartialResult(ExperimentResult partial) => new(Model, CompletedGroups, InnerException!, partial);

    private static string Describe(string model, int done, string? folder, Exception inner) =>
        $"{model} failed after {done} completed group(s){(folder is null ? "" : $"; completed groups written to {folder}")}: {inner.Message}";
}
