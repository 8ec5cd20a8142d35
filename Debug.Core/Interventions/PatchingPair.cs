using Debug.Core.Tokenization;

namespace Debug.Core.Interventions;

/// <summary>
/// A clean prompt and its counterfactual, token ids of equal length (patching swaps activations position by
/// position), with the answer tokens the standard metrics compare. Without answer tokens the sweep uses the clean and
/// counterfactual runs' top tokens.
/// </summary>
public sealed class PatchingPair
{
    /// <summary>Creates a pair.</summary>
    /// <exception cref="ArgumentException">The prompts are empty or differ in length.</exception>
    public PatchingPair(IReadOnlyList<long> cleanIds, IReadOnlyList<long> counterfactualIds, int? cleanAnswer = null,
        int? counterfactualAnswer = null)
    {
        ArgumentNullException.ThrowIfNull(cleanIds);
        ArgumentNullException.ThrowIfNull(counterfactualIds);
        if (cleanIds.Count == 0) throw new ArgumentException("empty prompt", nameof(cleanIds));
        if (cleanIds.Count != counterfactualIds.Count)
            throw new ArgumentException($"clean prompt has {cleanIds.Count} tokens, counterfactual has {counterfactualIds.Count}",
                nameof(counterfactualIds));
        CleanIds = cleanIds.ToArray();
        CounterfactualIds = counterfactualIds.ToArray();
        CleanAnswer = cleanAnswer;
        CounterfactualAnswer = counterfactualAnswer;
        int first = 0;
        while (first < CleanIds.Count && CleanIds[first] == CounterfactualIds[first]) first++;
        FirstDifference = first;
    }

    /// <summary>Clean prompt ids.</summary>
    public IReadOnlyList<long> CleanIds { get; }

    /// <summary>Counterfactual prompt ids.</summary>
    public IReadOnlyList<long> CounterfactualIds { get; }

    /// <summary>The clean answer token, or null for the clean run's top token.</summary>
    public int? CleanAnswer { get; }

    /// <summary>The counterfactual answer token, or null for the counterfactual run's top token.</summary>
    public int? CounterfactualAnswer { get; }

    /// <summary>Number of tokens of each prompt.</summary>
    public int Length => CleanIds.Count;

    /// <summary>
    /// The first position whose ids differ (<see cref="Length"/> when none do). Every activation before it is the same
    /// in both runs, so patching there has exactly zero effect.
    /// </summary>
    public int FirstDifference { get; }

    /// <summary>A pair from <see cref="CounterfactualTokens.Compare"/>, with its answer tokens.</summary>
    /// <exception cref="ArgumentException">The two prompts tokenize to different lengths.</exception>
    public static PatchingPair From(CounterfactualTokens tokens, int? cleanAnswer = null, int? counterfactualAnswer = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Problem is { } problem) throw new ArgumentException(problem, nameof(tokens));
        return new PatchingPair(tokens.Clean.Ids.Select(i => (long)i).ToList(), tokens.Counterfactual.Ids.Select(i => (long)i).ToList(),
            cleanAnswer, counterfactualAnswer);
    }
}
