namespace Debug.Core.Experiments.Sharding;

/// <summary>
/// Which shard runs each row. Built by <see cref="Assign"/>: deterministic, every row in exactly one shard, rows of
/// one group together, and balanced by cost. The result depends only on the set of rows (their keys, groups and
/// costs), never on the order they were listed in, so every shard process computes the same plan on its own.
/// </summary>
public sealed class ShardPlan
{
    private readonly Dictionary<string, int> _shardOfRow;
    private readonly Dictionary<string, int> _shardOfGroup;

    private ShardPlan(int count, Dictionary<string, int> shardOfRow, Dictionary<string, int> shardOfGroup, double[] loads)
    {
        Count = count;
        _shardOfRow = shardOfRow;
        _shardOfGroup = shardOfGroup;
        Loads = loads;
    }

    /// <summary>Shard count.</summary>
    public int Count { get; }

    /// <summary>Summed cost of each shard's rows.</summary>
    public IReadOnlyList<double> Loads { get; }

    /// <summary>Every row key with its shard.</summary>
    public IReadOnlyDictionary<string, int> Rows => _shardOfRow;

    /// <summary>The shard of a row.</summary>
    /// <exception cref="KeyNotFoundException">The row was not in the planned set.</exception>
    public int ShardOf(string rowKey) =>
        _shardOfRow.TryGetValue(rowKey, out int shard) ? shard
        : throw new KeyNotFoundException($"Row '{rowKey}' is not among the {_shardOfRow.Count} rows the shard plan was made for.");

    /// <summary>The shard of a group.</summary>
    /// <exception cref="KeyNotFoundException">The group was not in the planned set.</exception>
    public int ShardOfGroup(string group) =>
        _shardOfGroup.TryGetValue(group, out int shard) ? shard
        : throw new KeyNotFoundException($"Group '{group}' is not among the groups the shard plan was made for.");

    /// <summary>Row keys of shard <paramref name="index"/>, in ordinal order.</summary>
    public IReadOnlyList<string> RowsOf(int index) =>
        [.. _shardOfRow.Where(r => r.Value == index).Select(r => r.Key).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Splits <paramref name="rows"/> into <paramref name="count"/> shards. Groups are placed from the most to the least
    /// expensive (ties by group name, ordinal), each on the shard with the smallest load so far (ties: the lowest
    /// index): the longest-processing-time rule, whose largest shard is at most the mean load plus the largest group.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="count"/> is below 1, a key appears twice, or a row's cost is not positive and finite (the
    /// message names the row).
    /// </exception>
    public static ShardPlan Assign(IEnumerable<ShardRow> rows, int count)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (count < 1) throw new ArgumentException($"The shard count must be at least 1, got {count}.", nameof(count));
        var groups = new Dictionary<string, List<ShardRow>>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row);
            ArgumentException.ThrowIfNullOrEmpty(row.Key, nameof(rows));
            ArgumentException.ThrowIfNullOrEmpty(row.Group, nameof(rows));
            if (!double.IsFinite(row.Cost) || row.Cost <= 0)
                throw new ArgumentException($"Row '{row.Key}' has cost {row.Cost}; costs must be positive and finite.", nameof(rows));
            if (!keys.Add(row.Key)) throw new ArgumentException($"Row '{row.Key}' is listed twice.", nameof(rows));
            if (!groups.TryGetValue(row.Group, out var members)) groups[row.Group] = members = [];
            members.Add(row);
        }

        // Each group's cost summed in key order, so the sum (and so the plan) is the same whatever the input order.
        var ordered = groups
            .Select(g => (Group: g.Key, Rows: g.Value.OrderBy(r => r.Key, StringComparer.Ordinal).ToList()))
            .Select(g => (g.Group, g.Rows, Cost: g.Rows.Aggregate(0.0, (sum, r) => sum + r.Cost)))
            .OrderByDescending(g => g.Cost).ThenBy(g => g.Group, StringComparer.Ordinal);

        var loads = new double[count];
        var shardOfRow = new Dictionary<string, int>(StringComparer.Ordinal);
        var shardOfGroup = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (group, members, cost) in ordered)
        {
            int target = 0;
            for (int s = 1; s < count; s++)
                if (loads[s] < loads[target]) target = s;
            loads[target] += cost;
            shardOfGroup[group] = target;
            foreach (var row in members) shardOfRow[row.Key] = target;
        }
        return new ShardPlan(count, shardOfRow, shardOfGroup, loads);
    }
}
