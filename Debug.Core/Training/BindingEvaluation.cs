using System.Globalization;
using System.Text.Json.Nodes;
using Debug.Core.Model;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using static TorchSharp.torch;

namespace Debug.Core.Training;

/// <summary>Held-out accuracy by hops of a model on the byte vocabulary, with shortcut baselines on the same cases.</summary>
/// <param name="Accuracy">Accuracy per hop count (1..4).</param>
/// <param name="Baselines">Baseline name → accuracy per hop count.</param>
/// <param name="CasesPerHop">Cases evaluated per hop count.</param>
public sealed record BindingEvaluationResult(
    IReadOnlyDictionary<int, double> Accuracy,
    IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>> Baselines,
    int CasesPerHop)
{
    /// <summary>The eval.json shape the model card and tests read.</summary>
    public JsonObject ToJson()
    {
        static JsonObject ByHop(IReadOnlyDictionary<int, double> d) =>
            new(d.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(kv.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)Math.Round(kv.Value, 4))));
        return new JsonObject
        {
            ["variable_binding"] = ByHop(Accuracy),
            ["baselines"] = new JsonObject(Baselines.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)ByHop(kv.Value)))),
            ["n_per_hop"] = CasesPerHop,
        };
    }
}

/// <summary>
/// Evaluates variable binding with the suite's exact-hops generator on seeds no training batch uses (training draws
/// from a hash of (seed, step); evaluation from a fixed block starting at <see cref="SeedBase"/>), lines 2-17.
/// </summary>
public static class BindingEvaluation
{
    /// <summary>First seed of the held-out block.</summary>
    public const ulong SeedBase = 9_000_000_000UL;

    /// <summary>The held-out cases for <paramref name="hops"/>: the same list every time.</summary>
    public static IReadOnlyList<TaskCase> Cases(int hops, int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var rng = new DeterministicRng(SeedBase + (ulong)(hops * 1_000_000 + i));
            int lines = rng.NextInt(Math.Max(2, hops), 18);
            return VariableBindingGenerator.GenerateExactHops(lines, hops, rng);
        }).ToList();

    /// <summary>Runs the model greedily on every case (one next token after <c>#q: </c>) and scores it.</summary>
    public static BindingEvaluationResult Evaluate(CausalLanguageModel model, int casesPerHop, int batchSize = 64)
    {
        var accuracy = new Dictionary<int, double>();
        var baselines = ShortcutBaselines.Names.ToDictionary(n => n, _ => new Dictionary<int, double>());
        for (int hops = 1; hops <= 4; hops++)
        {
            var cases = Cases(hops, casesPerHop);
            var predictions = PredictNextToken(model, cases.Select(c => c.Program).ToList(), batchSize);
            accuracy[hops] = cases.Zip(predictions).Average(p => p.Second == p.First.Expected[0] ? 1.0 : 0.0);
            foreach (var name in ShortcutBaselines.Names)
                baselines[name][hops] = cases.Average(c => ShortcutBaselines.Score(name, c.Program, int.Parse(c.Expected, CultureInfo.InvariantCulture)));
        }
        return new BindingEvaluationResult(accuracy,
            baselines.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<int, double>)kv.Value), casesPerHop);
    }

    /// <summary>The argmax next token after each prompt, left-padded batches.</summary>
    public static List<int> PredictNextToken(CausalLanguageModel model, IReadOnlyList<string> prompts, int batchSize)
    {
        var result = new List<int>(prompts.Count);
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = prompts.Skip(start).Take(batchSize).Select(EmbeddedVocabulary.Encode).ToList();
            int t = batch.Max(b => b.Length);
            var ids = new long[batch.Count * t];
            var mask = new long[batch.Count * t];
            for (int r = 0; r < batch.Count; r++)
            {
                int pad = t - batch[r].Length;
                for (int i = 0; i < t; i++)
                {
                    ids[r * t + i] = i < pad ? EmbeddedVocabulary.EndOfText : batch[r][i - pad];
                    mask[r * t + i] = i < pad ? 0 : 1;
                }
            }
            var logits = model.Forward(tensor(ids, [batch.Count, t], device: model.Device), tensor(mask, [batch.Count, t], device: model.Device), logitPositions: [t - 1]);
            result.AddRange(logits[.., 0].argmax(-1).cpu().data<long>().ToArray().Select(v => (int)v));
        }
        return result;
    }
}
