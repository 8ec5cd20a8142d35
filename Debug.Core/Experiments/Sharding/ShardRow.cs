namespace Debug.Core.Experiments.Sharding;

/// <summary>
/// One unit of work that a shard runs or does not: a theory row of the suite, or a group of a CLI evaluation.
/// </summary>
/// <param name="Key">Identifies the row; unique within a row set and identical on every machine.</param>
/// <param name="Group">
/// Rows with the same group always land in the same shard (an accuracy group is never split, and rows that share
/// expensive set-up can be kept together). Use <paramref name="Key"/> for a row of its own.
/// </param>
/// <param name="Cost">Expected cost in any consistent unit (see <see cref="ShardCost"/>); positive and finite.</param>
public sealed record ShardRow(string Key, string Group, double Cost)
{
    /// <summary>A row that forms its own group.</summary>
    public static ShardRow Single(string key, double cost) => new(key, key, cost);
}
