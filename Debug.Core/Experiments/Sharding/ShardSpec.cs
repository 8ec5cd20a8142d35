using System.Globalization;

namespace Debug.Core.Experiments.Sharding;

/// <summary>
/// Which part of the rows this process runs: shard <see cref="Index"/> of <see cref="Count"/> (0 ≤ index &lt; count).
/// Read from the environment so that the schedulers researchers already use can start shards without Debug-specific
/// glue: <c>DEBUG_SHARD=k/n</c> first; else a Slurm job array's <c>SLURM_ARRAY_TASK_ID</c> and
/// <c>SLURM_ARRAY_TASK_COUNT</c>; else a Kubernetes Indexed Job's <c>JOB_COMPLETION_INDEX</c> with the count in
/// <c>DEBUG_SHARDS</c>. Nothing set means one shard holding every row.
/// </summary>
/// <param name="Index">This shard, 0-based.</param>
/// <param name="Count">How many shards the rows are split into.</param>
/// <param name="Source">Where the values came from (for messages and run.json).</param>
public sealed record ShardSpec(int Index, int Count, string Source)
{
    /// <summary><c>k/n</c>: this process is shard k of n.</summary>
    public const string ShardVariable = "DEBUG_SHARD";

    /// <summary>Shard count for a Kubernetes Indexed Job (whose pods only get <see cref="JobIndexVariable"/>).</summary>
    public const string ShardCountVariable = "DEBUG_SHARDS";

    /// <summary>Slurm job array task id (the array's indices must be 0..count-1).</summary>
    public const string SlurmIdVariable = "SLURM_ARRAY_TASK_ID";

    /// <summary>Slurm job array task count.</summary>
    public const string SlurmCountVariable = "SLURM_ARRAY_TASK_COUNT";

    /// <summary>Kubernetes Indexed Job pod index.</summary>
    public const string JobIndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>The whole row set in one process.</summary>
    public static ShardSpec Unsharded { get; } = new(0, 1, "default");

    /// <summary>Whether the rows are split at all.</summary>
    public bool IsSharded => Count > 1;

    /// <summary>The shard of this process, from its environment.</summary>
    /// <exception cref="ArgumentException">A variable is malformed or out of range; the message names it.</exception>
    public static ShardSpec Current() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Resolves the shard from an environment lookup (pure, for tests).</summary>
    /// <exception cref="ArgumentException">A variable is malformed or out of range; the message names it.</exception>
    public static ShardSpec FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? shard = environment(ShardVariable);
        if (!string.IsNullOrWhiteSpace(shard)) return ParseSlash(shard, ShardVariable);

        string? slurmId = environment(SlurmIdVariable), slurmCount = environment(SlurmCountVariable);
        if (!string.IsNullOrWhiteSpace(slurmId) || !string.IsNullOrWhiteSpace(slurmCount))
        {
            if (string.IsNullOrWhiteSpace(slurmId) || string.IsNullOrWhiteSpace(slurmCount))
                throw new ArgumentException($"{SlurmIdVariable} and {SlurmCountVariable} must be set together " +
                    $"(got {SlurmIdVariable}='{slurmId}', {SlurmCountVariable}='{slurmCount}'); or set {ShardVariable}=k/n.");
            return Make(Whole(slurmId, SlurmIdVariable), Whole(slurmCount, SlurmCountVariable), SlurmIdVariable, SlurmCountVariable);
        }

        string? jobIndex = environment(JobIndexVariable);
        if (!string.IsNullOrWhiteSpace(jobIndex))
        {
            string? count = environment(ShardCountVariable);
            if (string.IsNullOrWhiteSpace(count))
                throw new ArgumentException($"{JobIndexVariable}='{jobIndex}' is set but {ShardCountVariable} (the shard count) is not; " +
                    $"set {ShardCountVariable} to the Indexed Job's completions.");
            return Make(Whole(jobIndex, JobIndexVariable), Whole(count, ShardCountVariable), JobIndexVariable, ShardCountVariable);
        }
        return Unsharded;
    }

    /// <summary>Parses <c>k/n</c> as written in <see cref="ShardVariable"/> (or a CLI option named <paramref name="name"/>).</summary>
    /// <exception cref="ArgumentException">Not two whole numbers with 0 ≤ k &lt; n; the message names <paramref name="name"/>.</exception>
    public static ShardSpec ParseSlash(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split('/');
        if (parts.Length != 2)
            throw new ArgumentException($"{name} must be k/n (shard k of n, 0 <= k < n), got '{value}'.");
        return Make(Whole(parts[0], name), Whole(parts[1], name), name, name);
    }

    private static ShardSpec Make(int index, int count, string indexName, string countName)
    {
        if (count < 1) throw new ArgumentException($"{countName}: the shard count must be at least 1, got {count}.");
        if (index >= count)
            throw new ArgumentException($"{indexName}: shard index {index} is not below the shard count {count} (indices are 0..{count - 1}).");
        string source = indexName == countName ? indexName : $"{indexName}/{countName}";
        return new ShardSpec(index, count, source);
    }

    private static int Whole(string value, string name) =>
        int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new ArgumentException($"{name} must be a whole number, got '{value}'.");

    /// <summary><c>k/n</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
