namespace Debug.Core.Reports.Merging;

/// <summary>Shard run folders that cannot be merged; the message names the shard (its folder) and what is wrong.</summary>
public sealed class ShardMergeException(string message) : Exception(message);
