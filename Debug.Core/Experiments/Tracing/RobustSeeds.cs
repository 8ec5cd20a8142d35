using Debug.Core.Model;
using Debug.Core.Tokenization;
using static TorchSharp.torch;

namespace Debug.Core.Experiments.Tracing;

/// <summary>
/// Seeds whose tracing case a model gets right, like the reference framework's <c>ROBUST_SEEDS</c> table but computed
/// by running the model: for (hops, lines), the first seeds from 0 up whose exact-hops program the model answers
/// (greedy next token = the root's digit) and whose root-flipped twin it answers too (so the pair's two runs disagree
/// for the right reason and a patch can flip one into the other).
/// </summary>
public static class RobustSeeds
{
    /// <summary>
    /// The first <paramref name="count"/> robust seeds below <paramref name="maxSeed"/> (fewer when not found), scored
    /// in batched forwards (see <see cref="RobustSeedSearch"/>, which also resumes a search and reports progress).
    /// </summary>
    public static IReadOnlyList<ulong> Find(CausalLanguageModel model, ModelTokenizer tokenizer, int hops, int lines, int count,
        ulong maxSeed = 1000) => new RobustSeedSearch(model, tokenizer, hops, lines, maxSeed).Extend(count);

    /// <summary>
    /// The first <paramref name="count"/> seeds below <paramref name="maxSeed"/> whose exact-hops program the model gets
    /// wrong (its greedy next token is not the root's digit): the reference framework's "find failed" search.
    /// </summary>
    public static IReadOnlyList<ulong> FindFailed(CausalLanguageModel model, ModelTokenizer tokenizer, int hops, int lines, int count,
        ulong maxSeed = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var seeds = new List<ulong>();
        for (ulong seed = 0; seed < maxSeed && seeds.Count < count; seed++)
        {
            var pair = BindingTracingCase.Create(tokenizer, hops, lines, seed).Pair;
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            long top = model.Forward(tensor(pair.CleanIds.ToArray(), ScalarType.Int64, device: model.Device).unsqueeze(0), logitPositions: [-1]).reshape(-1).argmax().item<long>();
            if (top != pair.CleanAnswer) seeds.Add(seed);
        }
        return seeds;
    }

    /// <summary>Whether <paramref name="model"/>'s top next token is the answer on both prompts of the case.</summary>
    public static bool IsRobust(CausalLanguageModel model, BindingTracingCase tracingCase)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tracingCase);
        var pair = tracingCase.Pair;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = stack([tensor(pair.CleanIds.ToArray(), ScalarType.Int64, device: model.Device),
            tensor(pair.CounterfactualIds.ToArray(), ScalarType.Int64, device: model.Device)]);
        var top = model.Forward(ids, logitPositions: [-1]).reshape(2, -1).argmax(1).cpu().data<long>().ToArray();
        return top[0] == pair.CleanAnswer && top[1] == pair.CounterfactualAnswer;
    }
}
