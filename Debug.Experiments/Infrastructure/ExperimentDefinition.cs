using Debug.Core.Experiments;
using Debug.Core.Prompts;
using Debug.Core.Tasks;
using Xunit;

namespace Debug.Experiments.Infrastructure;

/// <summary>
/// One experiment of the suite without its models and case count, which come from <see cref="ExperimentSelection"/>
/// at run time. Lengths are the CI set: few and short, so the whole suite stays within the CI time budget.
/// </summary>
/// <param name="Name">Experiment name (result folders, thresholds.json keys).</param>
/// <param name="Template">Prompt template.</param>
/// <param name="Generator">Program generator.</param>
/// <param name="SeqLens">Program lengths.</param>
/// <param name="Hops">Exact hops (variable binding only), or null.</param>
/// <param name="MaxNewTokens">Generation budget per case.</param>
/// <param name="FullSeqLens">The full grid of lengths (the Python framework's), run instead of <paramref name="SeqLens"/> when <c>DEBUG_LENGTHS=full</c>; null when the CI set is the whole grid.</param>
public sealed record ExperimentDefinition(string Name, PromptTemplate Template, ITaskGenerator Generator,
    IReadOnlyList<int> SeqLens, IReadOnlyList<int>? Hops = null, int MaxNewTokens = 12, IReadOnlyList<int>? FullSeqLens = null)
{
    /// <summary>Environment variable choosing the length grid: <c>full</c> for <see cref="FullSeqLens"/>, anything else (or unset) for the CI set.</summary>
    public const string LengthsVariable = "DEBUG_LENGTHS";

    /// <summary>The lengths this process runs: <see cref="FullSeqLens"/> under <c>DEBUG_LENGTHS=full</c>, else <see cref="SeqLens"/>.</summary>
    public IReadOnlyList<int> ActiveSeqLens => LengthsFor(Environment.GetEnvironmentVariable(LengthsVariable));

    /// <summary>The lengths for a value of <see cref="LengthsVariable"/> (pure, for tests).</summary>
    /// <exception cref="ArgumentException">The value is neither empty, <c>ci</c> nor <c>full</c>.</exception>
    public IReadOnlyList<int> LengthsFor(string? setting) => setting?.Trim().ToLowerInvariant() switch
    {
        null or "" or "ci" => SeqLens,
        "full" => FullSeqLens ?? SeqLens,
        _ => throw new ArgumentException($"{LengthsVariable} must be 'ci' or 'full', got '{setting}'."),
    };

    /// <summary>The runnable config for <paramref name="selection"/>.</summary>
    public ExperimentConfig ToConfig(ExperimentSelection selection) => new()
    {
        Name = Name,
        Template = Template,
        Generator = Generator,
        Parser = ExperimentConfig.DefaultParser(Generator),
        Models = selection.Models,
        SequencesPerLength = selection.CasesPerGroup,
        SeqLens = ActiveSeqLens,
        Hops = Hops,
        MaxNewTokens = MaxNewTokens,
    };

    /// <summary>Rows (model, seqLen) of <paramref name="theory"/> for every selected model.</summary>
    public IEnumerable<TheoryDataRow<string, int>> ByLength(string theory) =>
        from model in ExperimentSelection.Current().DisplayNames
        from len in ActiveSeqLens
        select ExperimentRows.Row(theory, model, len);

    /// <summary>Rows (model, seqLen, hops) of <paramref name="theory"/> for every selected model, skipping hops above the length.</summary>
    public IEnumerable<TheoryDataRow<string, int, int>> ByHops(string theory)
    {
        var config = ToConfig(new ExperimentSelection([ModelReference.EmbeddedName], 1, "rows"));
        return from model in ExperimentSelection.Current().DisplayNames
               from g in config.Groups()
               select ExperimentRows.Row(theory, model, g.SeqLen, g.Hops!.Value);
    }
}
