using System.Text;
using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about a <see cref="CounterfactualPairGenerator"/> case: the original program and its twin.</summary>
/// <param name="QueryVariable">Always <c>x</c>.</param>
/// <param name="Initial">Value of the first assignment (shared by both programs).</param>
/// <param name="Steps">The original program's update steps, in order.</param>
/// <param name="DivergenceStep">1-based index of the step that differs; it is also the 0-based line index.</param>
/// <param name="CounterfactualStep">The step the counterfactual program has instead.</param>
/// <param name="CounterfactualProgram">The counterfactual program's text.</param>
/// <param name="CounterfactualExpected">The counterfactual program's answer (always different from the original's).</param>
/// <param name="OriginalValues">x after each line of the original program (index 0 = after the initial assignment).</param>
/// <param name="CounterfactualValues">x after each line of the counterfactual program.</param>
/// <param name="OriginalLineSpan">Span of the differing line (without newline) in the original program.</param>
/// <param name="CounterfactualLineSpan">Span of the differing line in the counterfactual program.</param>
public sealed record CounterfactualPairMetadata(
    string QueryVariable,
    int Initial,
    IReadOnlyList<UpdateStep> Steps,
    int DivergenceStep,
    UpdateStep CounterfactualStep,
    string CounterfactualProgram,
    string CounterfactualExpected,
    IReadOnlyList<long> OriginalValues,
    IReadOnlyList<long> CounterfactualValues,
    CharSpan OriginalLineSpan,
    CharSpan CounterfactualLineSpan) : TaskMetadata(QueryVariable);

/// <summary>
/// Pairs of programs that are identical except for one update line: <c>x = a</c> followed by <c>seqLen</c> updates
/// drawn from <c>+=</c>, <c>-=</c>, <c>//=</c>, <c>%=</c> and <c>= abs(x - v)</c>, the counterfactual having a
/// different step at the divergence line. <c>seqLen</c> = the number of update lines after the initial assignment.
/// </summary>
/// <remarks>
/// Activation patching needs pairs whose answers differ, but <c>%=</c>, <c>//=</c> and <c>abs</c> are not one-to-one:
/// drawn blindly, a long suffix almost always merges the two histories again (measured: only a third of 100-step
/// pairs still differed). So the steps after the divergence are drawn conditionally: a step that would map the two
/// current values to the same value is redrawn (up to <see cref="MaxRedraws"/> times, then replaced by an
/// always-injective <c>+=</c>/<c>-=</c>). The prefix is unconditioned; the final answers always differ.
/// </remarks>
public sealed class CounterfactualPairGenerator : ITaskGenerator
{
    /// <summary>How many times a merging step is redrawn before falling back to <c>+=</c> or <c>-=</c>.</summary>
    public const int MaxRedraws = 8;

    /// <inheritdoc />
    public string Name => "counterfactual_pair";

    /// <inheritdoc />
    public int MaxSeqLen => 100;

    /// <summary>Generates a pair diverging at a uniformly chosen step.</summary>
    /// <param name="seqLen">Number of update lines, 1..<see cref="MaxSeqLen"/>.</param>
    /// <param name="rng">Randomness source.</param>
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        return GeneratePair(seqLen, rng.NextInt(1, seqLen + 1), rng);
    }

    /// <summary>Generates a pair that diverges at the chosen step.</summary>
    /// <param name="seqLen">Number of update lines, 1..<see cref="MaxSeqLen"/>.</param>
    /// <param name="divergenceStep">1-based step (= 0-based line index) where the programs differ, 1..seqLen.</param>
    /// <param name="rng">Randomness source.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public TaskCase GeneratePair(int seqLen, int divergenceStep, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        if (divergenceStep < 1 || divergenceStep > seqLen)
        {
            throw new ArgumentOutOfRangeException(nameof(divergenceStep), divergenceStep, $"Must be in 1..seqLen ({seqLen}).");
        }
        int initial = rng.NextInt(21);
        var steps = new UpdateStep[seqLen];
        var values = new long[seqLen + 1];
        var counterValues = new long[seqLen + 1];
        values[0] = counterValues[0] = initial;
        UpdateStep counterStep = default;
        for (int i = 0; i < seqLen; i++)
        {
            long a = values[i], b = counterValues[i];
            if (i < divergenceStep - 1)
            {
                steps[i] = UpdateStep.Random(rng);
            }
            else if (i == divergenceStep - 1)
            {
                steps[i] = UpdateStep.Random(rng);
                counterStep = DrawDistinct(rng, s => s != steps[i] && s.Apply(b) != steps[i].Apply(a),
                    () => FirstAdditionDifferentFrom(steps[i].Apply(a), b));
            }
            else
            {
                steps[i] = DrawDistinct(rng, s => s.Apply(a) != s.Apply(b), () => InjectiveStep(rng));
            }
            values[i + 1] = steps[i].Apply(a);
            counterValues[i + 1] = (i == divergenceStep - 1 ? counterStep : steps[i]).Apply(b);
        }

        var alternative = steps.ToArray();
        alternative[divergenceStep - 1] = counterStep;
        (string originalText, CharSpan originalSpan) = Render(initial, steps, divergenceStep);
        (string counterText, CharSpan counterSpan) = Render(initial, alternative, divergenceStep);
        var metadata = new CounterfactualPairMetadata("x", initial, steps, divergenceStep, counterStep, counterText,
            Py(counterValues[^1]), values, counterValues, originalSpan, counterSpan);
        return new TaskCase(originalText, Py(values[^1]), metadata);
    }

    private static UpdateStep DrawDistinct(DeterministicRng rng, Func<UpdateStep, bool> keepsApart, Func<UpdateStep> fallback)
    {
        for (int attempt = 0; attempt <= MaxRedraws; attempt++)
        {
            var candidate = UpdateStep.Random(rng);
            if (keepsApart(candidate))
            {
                return candidate;
            }
        }
        return fallback();
    }

    // a + v equals a given value for at most one v, so one of x += 1, x += 2 always yields a different value.
    private static UpdateStep FirstAdditionDifferentFrom(long avoid, long value) =>
        new(UpdateOp.Add, value + 1 != avoid ? 1 : 2);

    // Adding or subtracting a constant is one-to-one, so it can never merge two different values.
    private static UpdateStep InjectiveStep(DeterministicRng rng) =>
        new(rng.NextBool() ? UpdateOp.Add : UpdateOp.Subtract, rng.NextInt(1, 10));

    private static (string Text, CharSpan DivergentLine) Render(int initial, IReadOnlyList<UpdateStep> steps, int divergenceStep)
    {
        var text = new StringBuilder($"x = {initial}\n");
        var span = default(CharSpan);
        for (int i = 0; i < steps.Count; i++)
        {
            int start = text.Length;
            text.Append(steps[i].ToPython("x"));
            if (i == divergenceStep - 1)
            {
                span = new CharSpan(start, text.Length);
            }
            text.Append('\n');
        }
        return (text.ToString(), span);
    }
}
