using System.Text.Json.Nodes;
using Debug.Core.Experiments;
using Debug.Core.Model;
using Debug.Core.Tasks;
using Debug.Core.Tasks.PythonCompat;
using static TorchSharp.torch;

namespace Debug.Core.Training;

/// <summary>One wrong answer of the final evaluation, kept for the model card's failure analysis.</summary>
/// <param name="Family">Family name.</param>
/// <param name="Length">Program length.</param>
/// <param name="Seed">The case's <c>RandomState</c> seed (the suite's case index).</param>
/// <param name="Expected">The true answer.</param>
/// <param name="Predicted">What the parser read from the completion (null: nothing parsed).</param>
/// <param name="Completion">The raw completion.</param>
public sealed record FamilyError(string Family, int Length, int Seed, string Expected, string? Predicted, string Completion);

/// <summary>
/// Held-out accuracy by family and length (the trained lengths and the reported ones,
/// <see cref="TrainingFamily.EvaluatedLengths"/>), the shortcut baselines on the same cases, and sample errors.
/// </summary>
/// <param name="Accuracy">family → length → accuracy.</param>
/// <param name="Baselines">baseline → family → length → accuracy (only where the baseline applies).</param>
/// <param name="CasesPerLength">Cases per (family, length).</param>
/// <param name="Errors">Up to five wrong answers per (family, length).</param>
public sealed record FamilyEvaluationResult(
    IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>> Accuracy,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>>> Baselines,
    int CasesPerLength, IReadOnlyList<FamilyError> Errors)
{
    /// <summary>
    /// Per (family, length): distinct programs among <see cref="FamilyBaselines.TrainingSample"/> training draws, and how
    /// many of the evaluated programs are among them. For families with few distinct programs, held-out seeds are not
    /// held-out programs, and accuracy there measures memorisation.
    /// </summary>
    public IReadOnlyDictionary<(string Family, int Length), (int DistinctInTraining, int EvaluatedSeenInTraining)> Overlap { get; init; } =
        new Dictionary<(string, int), (int, int)>();

    /// <summary>eval.json: <c>{"family": {"length": acc}, "baselines": {name: {family: {length: acc}}}, "n_per_length": n}</c>.</summary>
    public JsonObject ToJson()
    {
        static JsonObject ByLength(IReadOnlyDictionary<int, double> values) =>
            new([.. values.OrderBy(p => p.Key).Select(p => KeyValuePair.Create(p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)Math.Round(p.Value, 4)))]);
        var json = new JsonObject();
        foreach (var (family, values) in Accuracy) json[family] = ByLength(values);
        var baselines = new JsonObject();
        foreach (var (name, families) in Baselines)
            baselines[name] = new JsonObject([.. families.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)ByLength(f.Value)))]);
        json["baselines"] = baselines;
        json["n_per_length"] = CasesPerLength;
        var programs = new JsonObject();
        foreach (var group in Overlap.GroupBy(o => o.Key.Family))
            programs[group.Key] = new JsonObject([.. group.OrderBy(o => o.Key.Length).Select(o => KeyValuePair.Create(
                o.Key.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)new JsonObject
                {
                    ["distinct_in_training_sample"] = o.Value.DistinctInTraining,
                    ["evaluated_in_training_sample"] = o.Value.EvaluatedSeenInTraining,
                }))]);
        json["programs"] = programs;
        json["training_sample"] = FamilyBaselines.TrainingSample;
        return json;
    }
}

/// <summary>
/// Held-out evaluation of the tracker families on the suite's own cases: case i of a (family, length) is
/// <c>RandomState(i)</c>, rendered in the family's template, as the suite's experiment generates it. Training draws
/// only seeds from <see cref="FamilyTrainingData.TrainSeedBase"/> up.
/// </summary>
public static class FamilyEvaluation
{
    /// <summary>The suite's cases 0..n-1 of one (family, length).</summary>
    public static IReadOnlyList<TaskCase> Cases(TrainingFamily family, int length, int n) =>
        [.. Enumerable.Range(0, n).Select(i => family.Generator.Generate(length, new NumpyRandomState(i)))];

    /// <summary>
    /// Teacher-forced exact match (every answer token and the end-of-text are the argmax): one forward per batch, cheap
    /// enough to run during training. It equals greedy exact match up to how the parser reads a completion.
    /// </summary>
    public static Dictionary<string, Dictionary<int, double>> TeacherForced(CausalLanguageModel model, FamilyTrainingData data,
        IReadOnlyList<TrainingFamily> families, int n, int padId, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var result = new Dictionary<string, Dictionary<int, double>>();
        using var noGrad = no_grad();
        foreach (var family in families)
        {
            result[family.Name] = [];
            foreach (int length in family.Lengths)
            {
                var sequences = Cases(family, length, n).Select(c => data.Build(family, c)).ToList();
                int correct = 0;
                for (int start = 0; start < sequences.Count; start += batchSize)
                {
                    using var scope = NewDisposeScope();
                    correct += AnswerTokenLoss.Forward(model, sequences.Skip(start).Take(batchSize).ToList(), padId).AllCorrect.Count(c => c);
                }
                result[family.Name][length] = (double)correct / n;
            }
        }
        return result;
    }

    /// <summary>
    /// The final evaluation, through the suite's own path: greedy completion with <see cref="BatchCompletion"/> (the
    /// experiments' budget of 12 new tokens, stop at end-of-text or newline), the family's parser, and the shortcut
    /// baselines on the same cases.
    /// </summary>
    public static FamilyEvaluationResult Greedy(LoadedModel model, IReadOnlyList<TrainingFamily> families, int n, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var accuracy = new Dictionary<string, IReadOnlyDictionary<int, double>>();
        var baselines = FamilyBaselines.Names.ToDictionary(b => b, _ => new Dictionary<string, IReadOnlyDictionary<int, double>>());
        var errors = new List<FamilyError>();
        var overlap = new Dictionary<(string, int), (int, int)>();
        foreach (var family in families)
        {
            var byLength = new Dictionary<int, double>();
            var baselineByLength = FamilyBaselines.Names.ToDictionary(b => b, _ => new Dictionary<int, double>());
            bool boolean = family.Parser == AnswerParser.Boolean;
            foreach (int length in family.EvaluatedLengths)
            {
                var cases = Cases(family, length, n);
                var prompts = cases.Select(c => family.Template.Render(c.Program, c.Metadata.QueryVariable).Text).ToList();
                var completions = BatchCompletion.Run(model, prompts, maxNewTokens: 12, batchSize: 32);
                int correct = 0, kept = 0;
                for (int i = 0; i < cases.Count; i++)
                {
                    string? predicted = family.Parser.Parse(completions[i].Text);
                    if (predicted == cases[i].Expected) correct++;
                    else if (kept++ < 5) errors.Add(new FamilyError(family.Name, length, i, cases[i].Expected, predicted, completions[i].Text));
                }
                byLength[length] = (double)correct / n;
                var training = FamilyBaselines.TrainingPrograms(family, length);
                string frequent = FamilyBaselines.MostFrequentAnswer(training);
                var trainingTexts = training.Select(t => t.Program).ToHashSet(StringComparer.Ordinal);
                overlap[(family.Name, length)] = (trainingTexts.Count, cases.Count(c => trainingTexts.Contains(c.Program)));
                foreach (var name in FamilyBaselines.Names)
                {
                    var guesses = cases.Select(c => (Guess: FamilyBaselines.Predict(name, c, frequent, boolean), c.Expected)).ToList();
                    if (guesses.Any(g => g.Guess is null)) continue;
                    baselineByLength[name][length] = guesses.Average(g => g.Guess == g.Expected ? 1.0 : 0.0);
                }
                log?.Invoke($"{family.Name} len {length}: {byLength[length]:F3}");
            }
            accuracy[family.Name] = byLength;
            foreach (var (name, values) in baselineByLength)
                if (values.Count > 0) baselines[name][family.Name] = values;
        }
        return new FamilyEvaluationResult(accuracy,
            baselines.Where(b => b.Value.Count > 0).ToDictionary(b => b.Key, b => (IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>>)b.Value), n, errors)
        {
            Overlap = overlap,
        };
    }
}
