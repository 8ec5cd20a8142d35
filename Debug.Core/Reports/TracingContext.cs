using Debug.Core.Experiments.Tracing;
using Debug.Core.Tokenization;

namespace Debug.Core.Reports;

/// <summary>
/// What a tracing record needs to be self-describing: the model, both programs, a label per clean token and the
/// named target positions, so a results file can be read without the code or tokenizer that produced it.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="CleanProgram">The clean prompt's text.</param>
/// <param name="CounterfactualProgram">The counterfactual prompt's text.</param>
/// <param name="Tokens">A label per clean token; index = position.</param>
/// <param name="TargetNames">
/// Position to target name (e.g. <c>ref_depth_1_rhs</c>); names that share a position are joined with <c>+</c>.
/// </param>
/// <param name="TokenLabels">
/// The Python framework's <c>token_labels</c>: each clean token's vocabulary string as the tokenizer stores it
/// (<c>tokenizer.tokenize</c>: <c>Ġ=</c>, <c>Ċ</c> for byte-level BPE), index = position; null when unknown (the
/// records then repeat <paramref name="Tokens"/>).
/// </param>
public sealed record TracingContext(string Model, string CleanProgram, string CounterfactualProgram,
    IReadOnlyList<string> Tokens, IReadOnlyDictionary<int, string> TargetNames, IReadOnlyList<string>? TokenLabels = null)
{
    /// <summary>
    /// Each id's vocabulary string (the framework's <c>tokenizer.tokenize</c> spelling), its decoded text where the
    /// vocabulary has none. Special tokens the encoding added are included, so index = position; the framework
    /// tokenizes without them, so for a tokenizer that adds a BOS its list is one shorter (Qwen3 adds none).
    /// </summary>
    public static IReadOnlyList<string> RawLabels(ModelTokenizer tokenizer, IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Select(id => checked((int)id)).Select(id => tokenizer.IdToToken(id) ?? tokenizer.Decode([id])).ToList();
    }

    /// <summary>
    /// The context of a variable-binding case: each clean token decoded alone, and the targets
    /// <c>ref_depth_k_rhs</c> (k = 1..hops), <c>query_var</c> and <c>prediction</c> by position.
    /// </summary>
    public static TracingContext For(string model, BindingTracingCase c, ModelTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var tokens = c.Pair.CleanIds.Select(id => tokenizer.Decode([checked((int)id)])).ToList();
        // A tokenizer can merge two targets into one token; joining keeps both names visible on that position.
        var names = c.Targets.All.GroupBy(t => t.Position)
            .ToDictionary(g => g.Key, g => string.Join('+', g.Select(t => t.Name)));
        return new TracingContext(model, c.Twin.Original.Program, c.Twin.Counterfactual.Program, tokens, names, RawLabels(tokenizer, c.Pair.CleanIds));
    }

    /// <summary>The target name at <paramref name="position"/>, or null.</summary>
    public string? TargetAt(int position) => TargetNames.TryGetValue(position, out var name) ? name : null;

    /// <summary>The token label at <paramref name="position"/>, or null outside the prompt.</summary>
    public string? TokenAt(int position) => position >= 0 && position < Tokens.Count ? Tokens[position] : null;

    /// <summary>Each single target name with its position (joined names split apart), in position order.</summary>
    public IReadOnlyDictionary<string, int> TargetPositions()
    {
        var result = new Dictionary<string, int>();
        foreach (var (position, joined) in TargetNames.OrderBy(kv => kv.Key))
            foreach (var name in joined.Split('+'))
                result[name] = position;
        return result;
    }
}
