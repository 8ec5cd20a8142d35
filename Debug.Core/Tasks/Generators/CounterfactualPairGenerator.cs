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
/// <param name="CounterfactualExpected">The counterfactual program's answer.</param>
/// <param name="OriginalValues">x after each line of the original program (index 0 = after the initial assignment).</param>
/// <param name="CounterfactualValues">x after each line of the counterfactual program.</param>
/// <param name="OriginalLineSpan">Span of the differing line (without newline) in the original program.</param>
/// <param name="CounterfactualLineSpan">Span of the differing line in the counterfactual program.</param>
/// <param name="AnswersDiffer">Whether the two programs print different values (true unless no tried alternative changed the result).</param>
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
    CharSpan CounterfactualLineSpan,
    bool AnswersDiffer) : TaskMetadata(QueryVariable);

/// <summary>
/// Pairs of programs that are identical except for one update line: <c>x = a</c> followed by <c>seqLen</c> updates
/// drawn from <c>+=</c>, <c>-=</c>, <c>//=</c>, <c>%=</c> and <c>= abs(x - v)</c>. The counterfactual replaces the
/// step at the divergence line with a different step, resampled (up to <see cref="MaxAlternativeTries"/> times) until
/// the final answers differ, since activation patching needs a pair whose outputs disagree.
/// <c>seqLen</c> = the number of update lines after the initial assignment.
/// </summary>
public sealed class CounterfactualPairGenerator : ITaskGenerator
{
    /// <summary>How many alternative steps are drawn before accepting a pair whose answers coincide.</summary>
    public const int MaxAlternativeTries = 32;

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
        for (int i = 0; i < seqLen; i++)
        {
            steps[i] = UpdateStep.Random(rng);
        }
        var original = Run(initial, steps);

        var alternative = steps.ToArray();
        long[] counterValues = original;
        for (int attempt = 0; attempt < MaxAlternativeTries; attempt++)
        {
            UpdateStep candidate;
            do
            {
                candidate = UpdateStep.Random(rng);
            } while (candidate == steps[divergenceStep - 1]);
            alternative[divergenceStep - 1] = candidate;
            counterValues = Run(initial, alternative);
            if (counterValues[^1] != original[^1])
            {
                break;
            }
        }

        (string originalText, CharSpan originalSpan) = Render(initial, steps, divergenceStep);
        (string counterText, CharSpan counterSpan) = Render(initial, alternative, divergenceStep);
        var metadata = new CounterfactualPairMetadata("x", initial, steps, divergenceStep,
            alternative[divergenceStep - 1], counterText, Py(counterValues[^1]), original, counterValues,
            originalSpan, counterSpan, counterValues[^1] != original[^1]);
        return new TaskCase(originalText, Py(original[^1]), metadata);
    }

    private static long[] Run(int initial, IReadOnlyList<UpdateStep> steps)
    {
        var values = new long[steps.Count + 1];
        values[0] = initial;
        for (int i = 0; i < steps.Count; i++)
        {
            values[i + 1] = steps[i].Apply(values[i]);
        }
        return values;
    }

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
