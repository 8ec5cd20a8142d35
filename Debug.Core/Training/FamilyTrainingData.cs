using Debug.Core.Tasks;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tokenization;

namespace Debug.Core.Training;

/// <summary>
/// Training sequences for <c>tracker</c>: a program from a family's framework generator, rendered in the family's
/// template exactly as the suite renders it, followed by the answer and end-of-text. The prompt and the answer are
/// encoded separately and concatenated, because that is what greedy generation sees (the prompt's tokens, then
/// generated ones); the loss is on the answer tokens and the end-of-text only.
/// </summary>
/// <param name="families">The family mix.</param>
/// <param name="tokenizer">The model's tokenizer.</param>
/// <param name="endOfText">End-of-text id (the last supervised token).</param>
public sealed class FamilyTrainingData(IReadOnlyList<TrainingFamily> families, ModelTokenizer tokenizer, int endOfText)
{
    /// <summary>
    /// Training programs use <c>RandomState(seed)</c> with seeds at or above this; the suite's case i is
    /// <c>RandomState(i)</c> and held-out evaluation uses seeds below 100,000, so no training draw reproduces an
    /// evaluated stream. (Families with few distinct programs still repeat programs; the model card counts them.)
    /// </summary>
    public const long TrainSeedBase = 1_000_000;

    /// <summary>Draws one sequence: family by weight, length uniform among the family's lengths up to <paramref name="maxLength"/>.</summary>
    public (TrainingFamily Family, int Length, TrainingSequence Sequence) Next(DeterministicRng rng, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double total = families.Sum(f => f.Weight), pick = rng.NextDouble() * total;
        var family = families[^1];
        foreach (var f in families)
        {
            if (pick < f.Weight) { family = f; break; }
            pick -= f.Weight;
        }
        var lengths = family.Lengths.Where(l => l <= maxLength).DefaultIfEmpty(family.Lengths.Min()).ToList();
        int length = lengths[rng.NextInt(lengths.Count)];
        long seed = TrainSeedBase + (long)(rng.NextUInt64() % (uint.MaxValue - (ulong)TrainSeedBase));
        return (family, length, Build(family, family.Generator.Generate(length, new NumpyRandomState(seed))));
    }

    /// <summary>The supervised sequence for one case of <paramref name="family"/>.</summary>
    public TrainingSequence Build(TrainingFamily family, TaskCase task)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(task);
        string prompt = family.Template.Render(task.Program, task.Metadata.QueryVariable).Text;
        var promptIds = tokenizer.Encode(prompt, addSpecialTokens: true).Ids;
        var answerIds = tokenizer.Encode(task.Expected).Ids;
        int[] tokens = [.. promptIds, .. answerIds, endOfText];
        // TargetWeights[i] weighs the prediction of tokens[i + 1] from position i.
        var weights = new float[tokens.Length];
        for (int i = promptIds.Count - 1; i < tokens.Length - 1; i++) weights[i] = 1;
        return new TrainingSequence(prompt + task.Expected, tokens, weights, []);
    }
}
