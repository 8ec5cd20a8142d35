namespace Debug.Core.Tokenization;

/// <summary>
/// How a clean prompt and its counterfactual line up token by token. Patching swaps activations position by
/// position, which only means something when both prompts have the same number of tokens.
/// </summary>
/// <param name="Clean">The clean prompt's encoding.</param>
/// <param name="Counterfactual">The counterfactual prompt's encoding.</param>
/// <param name="DifferingPositions">Positions whose ids differ (empty when the lengths differ).</param>
public sealed record CounterfactualTokens(TokenEncoding Clean, TokenEncoding Counterfactual, IReadOnlyList<int> DifferingPositions)
{
    /// <summary>Whether both prompts have the same number of tokens.</summary>
    public bool SameLength => Clean.Count == Counterfactual.Count;

    /// <summary>Why the pair cannot be patched position by position, or null when it can.</summary>
    public string? Problem => SameLength
        ? null
        : $"clean prompt has {Clean.Count} tokens, counterfactual has {Counterfactual.Count}";

    /// <summary>Encodes both prompts and lists the positions where their ids differ.</summary>
    public static CounterfactualTokens Compare(ModelTokenizer tokenizer, string clean, string counterfactual, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var a = tokenizer.Encode(clean, addSpecialTokens);
        var b = tokenizer.Encode(counterfactual, addSpecialTokens);
        var differing = new List<int>();
        if (a.Count == b.Count)
            for (int i = 0; i < a.Count; i++)
                if (a.Ids[i] != b.Ids[i]) differing.Add(i);
        return new CounterfactualTokens(a, b, differing);
    }

    /// <summary>
    /// Compares many pairs and returns those that do not tokenize to the same length, so a caller can drop or
    /// report them before patching.
    /// </summary>
    public static IReadOnlyList<CounterfactualTokens> Misaligned(ModelTokenizer tokenizer, IEnumerable<(string Clean, string Counterfactual)> pairs, bool addSpecialTokens = true) =>
        pairs.Select(p => Compare(tokenizer, p.Clean, p.Counterfactual, addSpecialTokens)).Where(r => !r.SameLength).ToList();
}
