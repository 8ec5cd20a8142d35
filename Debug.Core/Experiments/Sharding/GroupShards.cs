using System.Globalization;

namespace Debug.Core.Experiments.Sharding;

/// <summary>
/// The shard's part of a set of accuracy experiments, one row per (experiment, model, length, hops) group: the split the
/// CLI's <c>eval</c> and the experiment suite use, so a group is never divided and every group runs in one shard.
/// </summary>
public sealed class GroupShards
{
    private readonly ShardPlan? _plan;

    private GroupShards(ShardSpec spec, ShardPlan? plan)
    {
        Spec = spec;
        _plan = plan;
    }

    /// <summary>This process's shard.</summary>
    public ShardSpec Spec { get; }

    /// <summary>Plans <paramref name="configs"/> over <paramref name="spec"/>'s shard count.</summary>
    public static GroupShards For(ShardSpec spec, IEnumerable<ExperimentConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(configs);
        return new GroupShards(spec, spec.IsSharded ? ShardPlan.Assign(Rows(configs), spec.Count) : null);
    }

    /// <summary>Whether this shard runs the group.</summary>
    public bool IsMine(string experiment, GroupKey group) =>
        _plan is null || (_plan.Rows.TryGetValue(Key(experiment, group), out int shard) ? shard : 0) == Spec.Index;

    /// <summary>The scope that runs this shard's groups of <paramref name="config"/>, saving them in <paramref name="folder"/> (resume) when given.</summary>
    public RunScope Scope(ExperimentConfig config, string? folder)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new RunScope { Include = g => IsMine(config.Name, g), Folder = folder };
    }

    /// <summary>A group's row key: <c>accuracy/&lt;experiment&gt;/&lt;model&gt;/len&lt;n&gt;[/hops&lt;h&gt;]</c>.</summary>
    public static string Key(string experiment, GroupKey group) =>
        string.Create(CultureInfo.InvariantCulture, $"accuracy/{experiment}/{group.Model}/len{group.SeqLen}{(group.Hops is int h ? $"/hops{h}" : "")}");

    /// <summary>
    /// Every group of <paramref name="configs"/> as a shard row; cost = cases × (characters of the group's first prompt +
    /// token budget) × model size (<see cref="ShardCost.Accuracy"/>), the same on every machine.
    /// </summary>
    public static IEnumerable<ShardRow> Rows(IEnumerable<ExperimentConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        foreach (var config in configs)
        {
            var one = config with { SequencesPerLength = 1 };
            foreach (var (seqLen, hops) in config.Groups())
            {
                var first = ExperimentRunner.GenerateCases(one, seqLen, hops)[0];
                int chars = config.Template.Render(first.Program, first.Metadata.QueryVariable).Text.Length;
                foreach (string model in config.Models.Select(m => ModelReference.Parse(m).DisplayName).Distinct(StringComparer.Ordinal))
                    yield return ShardRow.Single(Key(config.Name, new GroupKey(model, seqLen, hops)),
                        ShardCost.Accuracy(config.SequencesPerLength, chars, config.MaxNewTokens, model));
            }
        }
    }
}
