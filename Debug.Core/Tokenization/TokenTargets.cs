using Debug.Core.Prompts;
using Debug.Core.Tasks;

namespace Debug.Core.Tokenization;

/// <summary>
/// Token positions of a variable-binding prompt that activation patching reads and writes:
/// <c>ref_depth_k_rhs</c> (the right-hand side on the chain's depth-k line; k = 1 is the root literal),
/// <c>query_var</c> (the queried name in the final <c>#q: </c> line) and <c>prediction</c> (the last prompt token,
/// whose logits give the answer). Each follows <see cref="TokenLocator"/>'s rule: the token holding the span's first
/// character. <c>final_space</c> is the Python framework's name for the prediction position when that token holds
/// a space (the space after <c>#q:</c>).
/// </summary>
public sealed class TokenTargets
{
    private TokenTargets(IReadOnlyList<TokenTarget> refDepthRhs, TokenTarget queryVar, TokenTarget prediction, TokenTarget? finalSpace)
    {
        RefDepthRhs = refDepthRhs;
        QueryVar = queryVar;
        Prediction = prediction;
        FinalSpace = finalSpace;
    }

    /// <summary><c>ref_depth_k_rhs</c> for k = 1..depth, at index k - 1.</summary>
    public IReadOnlyList<TokenTarget> RefDepthRhs { get; }

    /// <summary><c>query_var</c>.</summary>
    public TokenTarget QueryVar { get; }

    /// <summary><c>prediction</c>: the last token that covers prompt text (BOS/EOS excluded).</summary>
    public TokenTarget Prediction { get; }

    /// <summary>
    /// <c>final_space</c>, as the Python framework's <c>TokenAnalyzer</c> defines it for byte-level tokenizers: the
    /// prediction position when its token contains a space (<c>Ġ</c>); null otherwise. Its span is that space.
    /// </summary>
    public TokenTarget? FinalSpace { get; }

    /// <summary>The <c>ref_depth_k_rhs</c> target, k = 1 being the root literal.</summary>
    public TokenTarget RefDepth(int k) =>
        k >= 1 && k <= RefDepthRhs.Count ? RefDepthRhs[k - 1] : throw new ArgumentOutOfRangeException(nameof(k), k, $"depth is 1..{RefDepthRhs.Count}");

    /// <summary>Every target, in the order ref_depth_1_rhs.., query_var, prediction, final_space (when present).</summary>
    public IEnumerable<TokenTarget> All => FinalSpace is null
        ? RefDepthRhs.Append(QueryVar).Append(Prediction)
        : RefDepthRhs.Append(QueryVar).Append(Prediction).Append(FinalSpace);

    /// <summary>Name to position, e.g. {"ref_depth_1_rhs": 3, "query_var": 12, "prediction": 14}.</summary>
    public IReadOnlyDictionary<string, int> ToPositions() => All.ToDictionary(t => t.Name, t => t.Position);

    /// <summary>Targets from an encoding of a prompt whose program starts at <paramref name="codeOffset"/>.</summary>
    /// <param name="encoding">The prompt's encoding (with or without BOS).</param>
    /// <param name="metadata">The program's chain; its spans are in program coordinates.</param>
    /// <param name="codeOffset">Where the program starts in the prompt (<see cref="RenderedPrompt.CodeOffset"/>).</param>
    public static TokenTargets ForVariableBinding(TokenEncoding encoding, VariableBindingMetadata metadata, int codeOffset)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        ArgumentNullException.ThrowIfNull(metadata);
        var refs = metadata.Links
            .OrderBy(l => l.Depth)
            .Select(l => TokenLocator.Target($"ref_depth_{l.Depth}_rhs", encoding, l.RhsSpan.Shift(codeOffset)))
            .ToList();
        var query = TokenLocator.Target("query_var", encoding, metadata.QueryVariableSpan.Shift(codeOffset));

        int last = encoding.Count - 1;
        while (last >= 0 && encoding.Offsets[last].IsEmpty) last--;
        if (last < 0) throw new ArgumentException("the encoding covers no text", nameof(encoding));
        var lastRange = encoding.Offsets[last];
        var lastChar = new CharSpan(lastRange.End - 1, lastRange.End);
        var prediction = new TokenTarget("prediction", last, lastChar, lastRange, lastRange.Length == 1);
        int space = encoding.Text.AsSpan(lastRange.Start, lastRange.Length).LastIndexOf(' ');
        var finalSpace = space < 0 ? null
            : new TokenTarget("final_space", last, new CharSpan(lastRange.Start + space, lastRange.Start + space + 1), lastRange, lastRange.Length == 1);
        return new TokenTargets(refs, query, prediction, finalSpace);
    }

    /// <summary>Encodes <paramref name="prompt"/> and computes its targets.</summary>
    public static TokenTargets ForVariableBinding(ModelTokenizer tokenizer, RenderedPrompt prompt, VariableBindingMetadata metadata, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return ForVariableBinding(tokenizer.Encode(prompt.Text, addSpecialTokens), metadata, prompt.CodeOffset);
    }
}
