using System.Runtime.CompilerServices;
using Debug.Core.Tasks;
using Snapshooter;
using Snapshooter.Xunit3;
using Xunit;

namespace Debug.Core.Tests.Tasks;

/// <summary>
/// Locks the first program of every generator for seeds 0..2. A diff here means a seed no longer names the same
/// benchmark item, which silently invalidates stored results, so changing it must be a deliberate decision.
/// </summary>
public class GeneratorSnapshotTests
{
    [Fact(DisplayName = "Seeds 0..2 produce the locked first program of every generator")]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void FirstProgramsOfEachGenerator()
    {
        var entries = new List<object>();
        foreach (var generator in TaskGenerators.All)
        {
            int seqLen = Math.Min(generator.MaxSeqLen, 5);
            for (ulong seed = 0; seed <= 2; seed++)
            {
                var c = generator.Generate(seqLen, new DeterministicRng(seed));
                entries.Add(new
                {
                    Generator = generator.Name,
                    Seed = seed,
                    SeqLen = seqLen,
                    Program = c.Program.Split('\n'), // one JSON string per line keeps the snapshot readable
                    c.Expected,
                    Metadata = c.Metadata,
                });
            }
        }
        Snapshot.Match(entries, new SnapshotFullName(
            $"{nameof(GeneratorSnapshotTests)}.{nameof(FirstProgramsOfEachGenerator)}.snap", SourceFolder()));
    }

    /// <summary>
    /// The folder of this source file. Snapshooter normally reads it from the PDB, but CI builds map source paths to
    /// "/_/", so fall back to finding the test project above the output folder.
    /// </summary>
    private static string SourceFolder([CallerFilePath] string sourceFile = "")
    {
        string? folder = Path.GetDirectoryName(sourceFile);
        if (folder is not null && Directory.Exists(folder))
        {
            return folder;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Debug.Core.Tests.csproj")))
            {
                return Path.Combine(dir.FullName, "Tasks");
            }
        }
        throw new DirectoryNotFoundException("Cannot locate the Debug.Core.Tests source folder for snapshots.");
    }
}
