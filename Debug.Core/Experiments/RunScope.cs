namespace Debug.Core.Experiments;

/// <summary>One (model, length, hops) case group of an accuracy experiment: the unit shards and resumes work in.</summary>
/// <param name="Model">Model display name.</param>
/// <param name="SeqLen">Program length.</param>
/// <param name="Hops">Exact hops, or null when the config has none.</param>
public readonly record struct GroupKey(string Model, int SeqLen, int? Hops);

/// <summary>
/// Which part of a config one <see cref="ExperimentRunner.Run"/> covers, and where it keeps its files so that a
/// rerun can resume: a shard runs only its groups (<see cref="Include"/>), and a run with a fixed
/// <see cref="Folder"/> saves each finished group atomically and, run again, reuses the saved groups instead of
/// recomputing them (<see cref="Resume.GroupCheckpoints"/>).
/// </summary>
public sealed record RunScope
{
    /// <summary>Groups to run; null runs every group.</summary>
    public Func<GroupKey, bool>? Include { get; init; }

    /// <summary>
    /// The experiment's output folder, used as is (created when missing) instead of a new timestamped folder under
    /// the results root; finished groups are saved in its <c>groups/</c> subfolder. Null: a new folder, no resume.
    /// </summary>
    public string? Folder { get; init; }
}
