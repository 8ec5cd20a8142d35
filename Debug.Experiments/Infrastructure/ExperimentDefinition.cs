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
public sealed record ExperimentDefinition(string Name, PromptTemplate Template, ITaskGenerator Generator,
    IReadOnlyList<int> SeqLens, IReadOnlyList<int>? Hops = null, int MaxNewTokens = 12)
{
    /// <summary>The runnable config for <paramref name="selection"/>.</summary>
    public ExperimentConfig ToConfig(ExperimentSelection selection) => new()
    {
        Name = Name,
        Template = Template,
        Generator = Generator,
        Parser = ExperimentConfig.DefaultParser(Generator),
        Models = selection.Models,
        SequencesPerLength = selection.CasesPerGroup,
        SeqLens = SeqLens,
        Hops = Hops,
        MaxNewTokens = MaxNewTokens,
    };

    /// <summary>Theory rows (model, seqLen) for every selected model.</summary>
    public TheoryData<string, int> ByLength()
    {
        var data = new TheoryData<string, int>();
        foreach (string model in ExperimentSelection.Current().DisplayNames)
            foreach (int len in SeqLens)
                data.Add(model, len);
        return data;
    }

    /// <summary>Theory rows (model, seqLen, hops) for every selected model, skipping hops above the length.</summary>
    public TheoryData<string, int, int> ByHops()
    {
        var data = new TheoryData<string, int, int>();
        var config = ToConfig(new ExperimentSelection([ModelReference.EmbeddedName], 1, "rows"));
        foreach (string model in ExperimentSelection.Current().DisplayNames)
            foreach (var (len, hops) in config.Groups())
                data.Add(model, len, hops!.Value);
        return data;
    }
}
