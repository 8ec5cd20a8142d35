using System.Runtime.CompilerServices;
using Debug.Core;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Model;
using Debug.Core.Tokenization;
using Xunit;

namespace Debug.Experiments.Infrastructure;

/// <summary>
/// Shared state of the tracing experiments: the embedded model and its tokenizer (one libtorch thread; two ran 10x
/// slower on the shared two-core machine), and where results go.
/// </summary>
public sealed class TracingSuite : IDisposable
{
    /// <summary>Loads the embedded model.</summary>
    public TracingSuite()
    {
        TorchRuntime.SetThreads(1);
        string folder = ModelReference.Parse(ModelReference.EmbeddedName).ResolveFolder();
        Model = CausalLanguageModel.Load(folder);
        Tokenizer = ModelTokenizer.FromFolder(folder);
        string? root = Environment.GetEnvironmentVariable(ExperimentSuite.ResultsVariable);
        ResultsRoot = string.IsNullOrWhiteSpace(root) ? RepositoryPaths.DefaultResultsRoot() : root;
    }

    /// <summary>The embedded model.</summary>
    public CausalLanguageModel Model { get; }

    /// <summary>Its tokenizer.</summary>
    public ModelTokenizer Tokenizer { get; }

    /// <summary>Results root (<see cref="ExperimentSuite.ResultsVariable"/>, else results/ in the repository).</summary>
    public string ResultsRoot { get; }

    /// <summary>The case for a theory row.</summary>
    public BindingTracingCase Case(int hops, int lines, ulong seed) => BindingTracingCase.Create(Tokenizer, hops, lines, seed);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Theory rows of the tracing experiments: (model, hops, lines, seed) for hops 1..3 and 5 or 17 lines, each with the
/// first robust seed of the embedded model (<see cref="RobustSeeds"/>), computed once per process by running it.
/// </summary>
public static class TracingRows
{
    /// <summary>Hop counts traced.</summary>
    public static IReadOnlyList<int> Hops { get; } = [1, 2, 3];

    /// <summary>Program lengths traced.</summary>
    public static IReadOnlyList<int> Lines { get; } = [5, 17];

    private static readonly Lazy<IReadOnlyDictionary<(int Hops, int Lines), IReadOnlyList<ulong>>> Table = new(() =>
    {
        TorchRuntime.SetThreads(1);
        string folder = ModelReference.Parse(ModelReference.EmbeddedName).ResolveFolder();
        using var model = CausalLanguageModel.Load(folder);
        var tokenizer = ModelTokenizer.FromFolder(folder);
        var table = new Dictionary<(int, int), IReadOnlyList<ulong>>();
        foreach (int hops in Hops)
            foreach (int lines in Lines)
                table[(hops, lines)] = RobustSeeds.Find(model, tokenizer, hops, lines, SeedsPerGroup);
        return table;
    });

    /// <summary>Robust seeds kept per (hops, lines).</summary>
    public const int SeedsPerGroup = 3;

    /// <summary>The embedded model's robust seeds per (hops, lines).</summary>
    public static IReadOnlyDictionary<(int Hops, int Lines), IReadOnlyList<ulong>> RobustSeedTable => Table.Value;

    /// <summary>(model, hops, lines, seed) rows with the first robust seed of each group.</summary>
    public static TheoryData<string, int, int, ulong> Rows()
    {
        var data = new TheoryData<string, int, int, ulong>();
        foreach (int hops in Hops)
            foreach (int lines in Lines)
                data.Add(ModelReference.EmbeddedName, hops, lines, RobustSeedTable[(hops, lines)][0]);
        return data;
    }
}

/// <summary>Where the snapshots of Debug.Experiments live.</summary>
public static class SnapshotFolder
{
    /// <summary>
    /// <c>__snapshots__</c> beside this project's sources. Snapshooter normally reads the folder from the PDB, but CI
    /// builds map source paths to "/_/", so fall back to finding the project above the output folder.
    /// </summary>
    public static string Find([CallerFilePath] string sourceFile = "")
    {
        string? folder = Path.GetDirectoryName(Path.GetDirectoryName(sourceFile));
        if (folder is not null && File.Exists(Path.Combine(folder, "Debug.Experiments.csproj"))) return folder;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Debug.Experiments.csproj"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cannot locate the Debug.Experiments source folder for snapshots.");
    }
}
