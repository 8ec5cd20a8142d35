using Debug.Core.Tokenization;

namespace Debug.Core.Interventions;

/// <summary>
/// Token positions to patch, chosen by target name: <c>ref_depth_k_rhs</c>, <c>query_var</c>, <c>prediction</c> (see
/// <see cref="TokenTargets"/>), or <c>all</c> / <c>*</c> for every position of the prompt.
/// </summary>
public static class PatchPositions
{
    /// <summary>The positions of <paramref name="names"/> in order, without duplicates.</summary>
    /// <exception cref="ArgumentException">A name that is neither a target of this prompt nor <c>all</c>.</exception>
    public static IReadOnlyList<int> Resolve(TokenTargets targets, int length, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(names);
        var byName = targets.ToPositions();
        var result = new List<int>();
        foreach (var name in names)
        {
            if (name is "all" or "*") result.AddRange(Enumerable.Range(0, length));
            else if (byName.TryGetValue(name, out int p)) result.Add(p);
            else throw new ArgumentException($"no target '{name}' (known: {string.Join(", ", byName.Keys)}, all)", nameof(names));
        }
        return result.Distinct().ToList();
    }
}
