using Debug.Core.Interventions;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tokenization;

namespace Debug.Core.Experiments.Tracing;

/// <summary>
/// One variable-binding tracing case: an exact-hops program for a seed, its root-flipped twin, their tokens (encoded
/// as the accuracy experiments encode prompts: the variable_binding template is the bare program, plus the
/// tokenizer's special tokens, which the embedded model's tokenizer has none of) and the patching pair with both
/// answers' first tokens.
/// </summary>
/// <param name="Hops">Referential depth of the query's chain.</param>
/// <param name="Lines">Program lines.</param>
/// <param name="Seed">Generator seed; the twin's new root comes from <see cref="CounterfactualSeed"/>.</param>
/// <param name="Twin">The original program and its counterfactual.</param>
/// <param name="Tokens">Both programs' tokens.</param>
/// <param name="Pair">The patching pair, with the clean and counterfactual answer tokens.</param>
/// <param name="Targets">Named positions of the clean prompt (<c>ref_depth_k_rhs</c>, <c>query_var</c>, <c>prediction</c>).</param>
public sealed record BindingTracingCase(int Hops, int Lines, ulong Seed, VariableBindingCounterfactualPair Twin,
    CounterfactualTokens Tokens, PatchingPair Pair, TokenTargets Targets)
{
    /// <summary>The seed of the rng that picks the counterfactual root for generator seed <paramref name="seed"/>.</summary>
    public static ulong CounterfactualSeed(ulong seed) => seed ^ 0x5EED_F11Dul;

    /// <summary>The root literal's position (<c>ref_depth_1_rhs</c>), where the prompts first differ.</summary>
    public int Root => Targets.RefDepth(1).Position;

    /// <summary>The prediction position (the last token, the space after <c>#q:</c>).</summary>
    public int Prediction => Targets.Prediction.Position;

    /// <summary>
    /// <c>ref_depth_k_rhs</c> positions for k = 1..<see cref="Hops"/> (index 0 = root literal, last = the query's own line).
    /// </summary>
    public IReadOnlyList<int> LinkPositions => Targets.RefDepthRhs.Select(t => t.Position).ToList();

    /// <summary>Builds the case for (<paramref name="hops"/>, <paramref name="lines"/>, <paramref name="seed"/>).</summary>
    /// <exception cref="ArgumentException">
    /// The two programs tokenize to different lengths, or the tokenizer merges an answer into the prompt's last token.
    /// </exception>
    public static BindingTracingCase Create(ModelTokenizer tokenizer, int hops, int lines, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var original = VariableBindingGenerator.GenerateExactHops(lines, hops, new DeterministicRng(seed));
        var twin = VariableBindingCounterfactual.FlipRoot(original.Program, new DeterministicRng(CounterfactualSeed(seed)));
        return Create(tokenizer, hops, lines, seed, twin);
    }

    /// <summary>The case of a given program and twin (both with resolved binding metadata), e.g. the Python framework's.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="hops">Referential depth of the query's chain.</param>
    /// <param name="lines">Program lines.</param>
    /// <param name="seed">The seed that produced the program (recorded, not used).</param>
    /// <param name="twin">The program and its counterfactual; the original's metadata must be <see cref="VariableBindingMetadata"/>.</param>
    /// <exception cref="ArgumentException">As for the generated case.</exception>
    public static BindingTracingCase Create(ModelTokenizer tokenizer, int hops, int lines, ulong seed, VariableBindingCounterfactualPair twin)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(twin);
        var original = twin.Original;
        if (original.Metadata is not VariableBindingMetadata)
            throw new ArgumentException("The original program needs resolved variable-binding metadata (its chain's spans).", nameof(twin));
        string cfProgram = twin.Counterfactual.Program;
        var tokens = CounterfactualTokens.Compare(tokenizer, original.Program, cfProgram, addSpecialTokens: true);
        var pair = PatchingPair.From(tokens,
            AnswerToken(tokenizer, original.Program, tokens.Clean.Ids, original.Expected),
            AnswerToken(tokenizer, cfProgram, tokens.Counterfactual.Ids, twin.Counterfactual.Expected));
        var targets = TokenTargets.ForVariableBinding(tokens.Clean, (VariableBindingMetadata)original.Metadata, 0);
        return new BindingTracingCase(hops, lines, seed, twin, tokens, pair, targets);
    }

    /// <summary>
    /// The token a model must put next after <paramref name="prompt"/> to start <paramref name="answer"/>: the first
    /// token of the answer when prompt and answer are encoded together, so tokenizers that mark word starts get the
    /// continuation token (SentencePiece's "5" after "#q: ", not the "▁5" of the answer alone). Where the joint encoding
    /// merges the answer into the prompt's last token (GPT-2 spells ": 9" as ":", " 9", but the prompt ends in its own
    /// " " token), the answer alone is used when it is one token spelling exactly the answer.
    /// </summary>
    /// <exception cref="ArgumentException">Neither way gives one token that continues the prompt with the answer.</exception>
    public static int AnswerToken(ModelTokenizer tokenizer, string prompt, IReadOnlyList<int> promptIds, string answer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(promptIds);
        var joint = tokenizer.Encode(prompt + answer, addSpecialTokens: true).Ids;
        if (joint.Count > promptIds.Count && joint.Take(promptIds.Count).SequenceEqual(promptIds)) return joint[promptIds.Count];
        var alone = tokenizer.Encode(answer, addSpecialTokens: false).Ids;
        if (alone.Count == 1 && tokenizer.Decode([alone[0]]) == answer) return alone[0];
        throw new ArgumentException(
            $"The tokenizer merges the answer '{answer}' into the prompt's last tokens and has no single token spelling " +
            "it, so no next token is the answer; this prompt cannot be traced at its last position.", nameof(answer));
    }

    /// <inheritdoc />
    public override string ToString() => $"hops {Hops}, lines {Lines}, seed {Seed}";
}
