using System.Text.Json.Serialization;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tasks.PythonCompat.Generators;

namespace Debug.Core.Experiments.PythonImport;

/// <summary>How the Python framework seeded the cases of a results file.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PythonSeeding>))]
public enum PythonSeeding
{
    /// <summary>Case <c>seq_id</c> is <c>RandomState(seq_id)</c> (its runner since June 2025).</summary>
    [JsonStringEnumMemberName("per_case")]
    PerCase,

    /// <summary>One <c>RandomState(12345)</c> consumed in file order, model by model, length by length (its runner before June 2025).</summary>
    [JsonStringEnumMemberName("shared_stream")]
    SharedStream,
}

/// <summary>How many stored programs one generator and seeding regenerate.</summary>
/// <param name="Generator">The framework generator's name.</param>
/// <param name="Seeding">The seeding scheme.</param>
/// <param name="Exact">Programs reproduced character for character.</param>
/// <param name="QueryWithoutSpace">
/// Programs equal but for the trailing space of the binding query line: the framework's generator wrote <c>#q:</c>
/// before its commit 18e6632 and <c>#q: </c> since.
/// </param>
/// <param name="AnswersMatch">Records whose stored true_answer equals the regenerated answer, among the programs that match.</param>
/// <param name="Records">Records compared.</param>
public sealed record RegenerationMatch(string Generator, PythonSeeding Seeding, int Exact, int QueryWithoutSpace, int AnswersMatch, int Records)
{
    /// <summary>Programs that match either way.</summary>
    public int Matching => Exact + QueryWithoutSpace;
}

/// <summary>
/// Regenerates each stored program with the framework's generators (<see cref="PythonFrameworkGenerators"/>) under
/// both of its seeding schemes and keeps the combination that reproduces the most records, so an import can say
/// whether the file and Debug mean the same tasks.
/// </summary>
public static class ProgramRegeneration
{
    /// <summary>The seed of the framework's old shared stream.</summary>
    public const int SharedStreamSeed = 12345;

    /// <summary>The best (generator, seeding) for <paramref name="records"/>, or null when none reproduces a single program.</summary>
    /// <param name="records">The records, in file order.</param>
    /// <param name="generator">Only try this generator (its framework name), or null for all.</param>
    /// <exception cref="ArgumentException"><paramref name="generator"/> names no framework generator.</exception>
    public static RegenerationMatch? Best(IReadOnlyList<PythonResultRecord> records, string? generator = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        IEnumerable<IRandomStateTaskGenerator> candidates = PythonFrameworkGenerators.All;
        if (generator is not null)
        {
            candidates = [PythonFrameworkGenerators.Find(generator) ?? throw new ArgumentException(
                $"Unknown framework generator '{generator}'. Known: {string.Join(", ", PythonFrameworkGenerators.All.Select(g => g.Name))}.", nameof(generator))];
        }
        RegenerationMatch? best = null;
        foreach (var candidate in candidates)
        {
            foreach (var seeding in (PythonSeeding[])[PythonSeeding.PerCase, PythonSeeding.SharedStream])
            {
                var match = Compare(records, candidate, seeding);
                if (match.Matching > (best?.Matching ?? 0)) best = match;
            }
        }
        return best;
    }

    /// <summary>Regenerates every record with one generator and seeding and counts the matches.</summary>
    public static RegenerationMatch Compare(IReadOnlyList<PythonResultRecord> records, IRandomStateTaskGenerator generator, PythonSeeding seeding)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(generator);
        int exact = 0, noSpace = 0, answers = 0;
        var shared = new NumpyRandomState(SharedStreamSeed);
        foreach (var record in records)
        {
            if (record.SeqLen < 1 || record.SeqLen > generator.MaxSeqLen || record.SeqId < 0) continue;
            var rng = seeding == PythonSeeding.PerCase ? new NumpyRandomState(record.SeqId) : shared;
            var made = generator.Generate(record.SeqLen, rng);
            bool same = made.Program == record.Program;
            bool sameButSpace = !same && made.Program.EndsWith(": ", StringComparison.Ordinal) && made.Program[..^1] == record.Program;
            if (same) exact++;
            if (sameButSpace) noSpace++;
            if ((same || sameButSpace) && made.Expected == record.TrueAnswer) answers++;
        }
        return new RegenerationMatch(generator.Name, seeding, exact, noSpace, answers, records.Count);
    }
}
