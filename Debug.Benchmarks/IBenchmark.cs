namespace Debug.Benchmarks;

/// <summary>
/// One benchmark, selected by name on the command line. Implementations live one per file and are found by
/// reflection, so adding a benchmark never edits Program.cs.
/// </summary>
public interface IBenchmark
{
    /// <summary>The command-line name, e.g. "engine".</summary>
    string Name { get; }

    /// <summary>One line shown in the list of benchmarks.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark; prints medians and ratios and ends with one key=value line. Returns an exit code.</summary>
    int Run(string[] args);
}
