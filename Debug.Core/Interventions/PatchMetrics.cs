using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// Every metric of one patched run, computed from its last-position logits and the <see cref="PatchBaseline"/>. The
/// reference framework's three (about the patched run's top token) and the standard ones (about the two answers) are
/// all kept, so results can be compared with either literature.
/// </summary>
/// <param name="PatchedTop">The patched run's top token.</param>
/// <param name="RefLogitDiff">Reference framework: logit of the patched top token, patched minus clean.</param>
/// <param name="RefNormalized">
/// <paramref name="RefLogitDiff"/> divided by the clean logit range (max - min) and clamped to [-1, 1].
/// </param>
/// <param name="RefSuccess">Reference framework's success: the top token changed.</param>
/// <param name="LogitDiff">logit(clean answer) - logit(counterfactual answer) in the patched run.</param>
/// <param name="NormalizedEffect">
/// (patched - clean) / (counterfactual - clean) of <paramref name="LogitDiff"/>: 0 = no effect, 1 = the patch alone
/// turns the clean run into the counterfactual one. NaN when both runs have the same logit difference.
/// </param>
/// <param name="CounterfactualProb">Softmax probability of the counterfactual answer in the patched run.</param>
/// <param name="FlippedToCounterfactual">Whether the patched top token is the counterfactual answer.</param>
public sealed record PatchMetrics(
    int PatchedTop,
    double RefLogitDiff,
    double RefNormalized,
    bool RefSuccess,
    double LogitDiff,
    double NormalizedEffect,
    double CounterfactualProb,
    bool FlippedToCounterfactual)
{
    /// <summary>Metrics of each row of <paramref name="patchedLogits"/> [rows, vocab] (float32).</summary>
    public static IReadOnlyList<PatchMetrics> Compute(Tensor patchedLogits, PatchBaseline baseline)
    {
        ArgumentNullException.ThrowIfNull(patchedLogits);
        ArgumentNullException.ThrowIfNull(baseline);
        using var scope = NewDisposeScope();
        var logits = patchedLogits.to_type(ScalarType.Float32).reshape(-1, baseline.CleanLogits.Count);
        // Reduce on the tensor side: only a few numbers per row cross into managed memory.
        // Five small copies per batch of rows, whatever the device (data<T>() reads host memory only).
        var top = logits.argmax(1).cpu().data<long>().ToArray();
        var topLogit = logits.max(1).values.cpu().data<float>().ToArray();
        var answer = logits[TensorIndex.Colon, baseline.CleanAnswer].cpu().data<float>().ToArray();
        var cfAnswer = logits[TensorIndex.Colon, baseline.CounterfactualAnswer].cpu().data<float>().ToArray();
        var lse = logits.logsumexp(1).cpu().data<float>().ToArray();
        var result = new PatchMetrics[top.Length];
        for (int i = 0; i < top.Length; i++)
            result[i] = FromRow((int)top[i], topLogit[i], answer[i], cfAnswer[i], lse[i], baseline);
        return result;
    }

    private static PatchMetrics FromRow(int top, float topLogit, float answer, float cfAnswer, float logSumExp, PatchBaseline b)
    {
        double refDiff = (double)topLogit - b.CleanLogits[top];
        double refNorm = b.CleanLogitRange > 0 ? Math.Clamp(refDiff / b.CleanLogitRange, -1, 1) : 0;
        double ld = (double)answer - cfAnswer;
        double denominator = b.CounterfactualLogitDiff - b.CleanLogitDiff;
        double normalized = denominator == 0 ? double.NaN : (ld - b.CleanLogitDiff) / denominator;
        double prob = Math.Exp((double)cfAnswer - logSumExp);
        return new PatchMetrics(top, refDiff, refNorm, top != b.CleanTop, ld, normalized, prob, top == b.CounterfactualAnswer);
    }

    /// <summary>The metrics of an intervention that changes nothing (patched logits = clean logits), exactly.</summary>
    public static PatchMetrics Unchanged(PatchBaseline baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        // Host values scored on the host: no model device involved.
        using var clean = tensor(baseline.CleanLogits.ToArray(), device: CPU).unsqueeze(0);
        return Compute(clean, baseline)[0];
    }

    /// <summary>The metrics as name/value pairs (booleans as 0/1), in declaration order, for comparisons and tables.</summary>
    public IEnumerable<(string Name, double Value)> Values()
    {
        yield return (nameof(PatchedTop), PatchedTop);
        yield return (nameof(RefLogitDiff), RefLogitDiff);
        yield return (nameof(RefNormalized), RefNormalized);
        yield return (nameof(RefSuccess), RefSuccess ? 1 : 0);
        yield return (nameof(LogitDiff), LogitDiff);
        yield return (nameof(NormalizedEffect), NormalizedEffect);
        yield return (nameof(CounterfactualProb), CounterfactualProb);
        yield return (nameof(FlippedToCounterfactual), FlippedToCounterfactual ? 1 : 0);
    }
}
