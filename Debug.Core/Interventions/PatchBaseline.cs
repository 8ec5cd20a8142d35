using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// The unpatched runs every metric compares against: last-position logits of the clean and counterfactual prompts
/// and the two answer tokens (given, or each run's top token; if both runs agree, the counterfactual's runner-up, so
/// the logit difference between them is defined).
/// </summary>
public sealed class PatchBaseline
{
    private PatchBaseline(float[] clean, float[] counterfactual, int cleanAnswer, int counterfactualAnswer)
    {
        CleanLogits = clean;
        CounterfactualLogits = counterfactual;
        CleanAnswer = cleanAnswer;
        CounterfactualAnswer = counterfactualAnswer;
        CleanTop = ArgMax(clean);
        CounterfactualTop = ArgMax(counterfactual);
        CleanLogitRange = clean.Max() - (double)clean.Min();
        CleanLogitDiff = (double)clean[cleanAnswer] - clean[counterfactualAnswer];
        CounterfactualLogitDiff = (double)counterfactual[cleanAnswer] - counterfactual[counterfactualAnswer];
    }

    /// <summary>Clean run, last position, float32.</summary>
    public IReadOnlyList<float> CleanLogits { get; }

    /// <summary>Counterfactual run, last position, float32.</summary>
    public IReadOnlyList<float> CounterfactualLogits { get; }

    /// <summary>The clean answer token.</summary>
    public int CleanAnswer { get; }

    /// <summary>The counterfactual answer token.</summary>
    public int CounterfactualAnswer { get; }

    /// <summary>The clean run's top token.</summary>
    public int CleanTop { get; }

    /// <summary>The counterfactual run's top token.</summary>
    public int CounterfactualTop { get; }

    /// <summary>max - min of the clean logits: the reference framework's normaliser.</summary>
    public double CleanLogitRange { get; }

    /// <summary>logit(clean answer) - logit(counterfactual answer) in the clean run.</summary>
    public double CleanLogitDiff { get; }

    /// <summary>The same in the counterfactual run.</summary>
    public double CounterfactualLogitDiff { get; }

    /// <summary>Builds the baseline from [vocab] (or [1, 1, vocab]) logits.</summary>
    public static PatchBaseline Create(Tensor cleanLogits, Tensor counterfactualLogits, int? cleanAnswer, int? counterfactualAnswer)
    {
        var clean = cleanLogits.to_type(ScalarType.Float32).flatten().cpu().data<float>().ToArray();
        var cf = counterfactualLogits.to_type(ScalarType.Float32).flatten().cpu().data<float>().ToArray();
        int a = cleanAnswer ?? ArgMax(clean);
        int b = counterfactualAnswer ?? ArgMax(cf);
        if (counterfactualAnswer is null && b == a) b = ArgMax(cf, except: a);
        if (a < 0 || a >= clean.Length || b < 0 || b >= clean.Length)
            throw new ArgumentOutOfRangeException(nameof(cleanAnswer), $"answer tokens {a}, {b} outside the vocabulary of {clean.Length}");
        return new PatchBaseline(clean, cf, a, b);
    }

    // Lowest index on ties, as torch.argmax does on CPU.
    internal static int ArgMax(IReadOnlyList<float> x, int except = -1)
    {
        int best = -1;
        for (int i = 0; i < x.Count; i++)
            if (i != except && (best < 0 || x[i] > x[best])) best = i;
        return best;
    }
}
