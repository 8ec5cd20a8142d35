namespace Debug.Core.Interventions;

/// <summary>
/// One attention-knockout condition: a name and the knockouts applied together (empty for the baseline). The
/// variable-binding conditions test "direct pointer" against "chain following": <c>direct</c> cuts the query
/// position's attention to the root literal, <c>chain</c> cuts it to the intermediate links' right-hand sides.
/// </summary>
/// <param name="Name">E.g. <c>baseline</c>, <c>direct</c>, <c>chain</c>, or with a layer suffix.</param>
/// <param name="Knockouts">The (layer, head, query -> keys) cuts; their batch rows are assigned by <see cref="KnockoutRun"/>.</param>
public sealed record KnockoutCondition(string Name, IReadOnlyList<AttentionKnockout> Knockouts)
{
    /// <summary>No knockout.</summary>
    public static KnockoutCondition Baseline { get; } = new("baseline", []);

    /// <summary>Cut <paramref name="query"/> -> <paramref name="keys"/> in every head of every layer in <paramref name="layers"/>.</summary>
    public static KnockoutCondition Cut(string name, int query, IReadOnlyList<int> keys, IEnumerable<int> layers, int heads) =>
        new(name, keys.Count == 0 ? [] : layers.SelectMany(l => Enumerable.Range(0, heads)
            .Select(h => new AttentionKnockout(l, h, query, keys))).ToList());

    /// <summary>
    /// The three conditions for a variable-binding prompt: baseline; direct = query -> root literal
    /// (<c>ref_depth_1_rhs</c>); chain = query -> the intermediate links (<c>ref_depth_k_rhs</c>, k >= 2; empty for
    /// a one-hop program, which makes it the baseline). Each cut spans <paramref name="layers"/> and every head.
    /// </summary>
    /// <param name="query">The query position (usually the <c>prediction</c> target).</param>
    /// <param name="linkPositions"><c>ref_depth_k_rhs</c> positions for k = 1..depth (index 0 = root literal).</param>
    /// <param name="layers">Layers whose attention is cut.</param>
    /// <param name="heads">Heads per layer.</param>
    /// <param name="suffix">Appended to the names, e.g. <c>@L3</c>.</param>
    public static IReadOnlyList<KnockoutCondition> DirectVersusChain(int query, IReadOnlyList<int> linkPositions,
        IEnumerable<int> layers, int heads, string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(linkPositions);
        if (linkPositions.Count == 0) throw new ArgumentException("the chain needs its root literal", nameof(linkPositions));
        var ls = layers.ToList();
        return
        [
            Baseline with { Name = "baseline" + suffix },
            Cut("direct" + suffix, query, [linkPositions[0]], ls, heads),
            Cut("chain" + suffix, query, linkPositions.Skip(1).Distinct().ToList(), ls, heads),
        ];
    }
}
