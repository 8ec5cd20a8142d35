using Debug.Core.Interventions;
using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Core.Training;

/// <summary>
/// The supervised loss of Debug's trainers: one right-padded batch through the model, cross-entropy at every position
/// weighted by <see cref="TrainingSequence.TargetWeights"/> (1 on the answer tokens, 0 elsewhere) and averaged over
/// the weights. Right padding is safe: causal attention never lets a real position see the padding after it.
/// </summary>
public static class AnswerTokenLoss
{
    /// <summary>
    /// Forward pass of <paramref name="batch"/>; returns the scalar loss (in the caller's dispose scope) and, per
    /// row, whether every supervised token was already the argmax (the answer would be produced greedily).
    /// </summary>
    public static (Tensor Loss, bool[] AllCorrect) Forward(CausalLanguageModel model, IReadOnlyList<TrainingSequence> batch, int padId, HookSet? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        int b = batch.Count, t = batch.Max(s => s.Tokens.Length) - 1;
        var x = new long[b * t];
        var y = new long[b * t];
        var w = new float[b * t];
        for (int r = 0; r < b; r++)
            for (int i = 0; i < t; i++)
            {
                var s = batch[r];
                bool real = i + 1 < s.Tokens.Length;
                x[r * t + i] = i < s.Tokens.Length ? s.Tokens[i] : padId;
                y[r * t + i] = real ? s.Tokens[i + 1] : 0;
                w[r * t + i] = real ? s.TargetWeights[i] : 0;
            }
        var logits = model.Forward(tensor(x, [b, t], device: model.Device), null, null, null, hooks);
        var flat = logits.reshape(-1, logits.shape[^1]);
        var targets = tensor(y, [b * t], device: model.Device);
        var weights = tensor(w, [b * t], device: model.Device);
        var perToken = nn.functional.cross_entropy(flat, targets, reduction: nn.Reduction.None);
        var loss = (perToken * weights).sum() / weights.sum();

        using var noGrad = no_grad();
        var hits = flat.argmax(-1).eq(targets).cpu().data<bool>().ToArray();
        var correct = new bool[b];
        for (int r = 0; r < b; r++)
        {
            correct[r] = true;
            for (int i = 0; i < t; i++)
                if (w[r * t + i] > 0 && !hits[r * t + i]) correct[r] = false;
        }
        return (loss, correct);
    }
}
