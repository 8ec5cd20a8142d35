using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Model.Generation;

/// <summary>
/// Greedy decoding (or sampling, with <see cref="GenerationOptions.Sampling"/>) with a KV cache for single prompts and left-padded batches. The prompt runs once; each step then
/// feeds one token per row, extending the attention mask and continuing each row's positions, as HF generate() does.
/// Finished rows keep feeding the pad token (their output is discarded), so the batch stays rectangular.
/// </summary>
public static class GreedyGenerator
{
    /// <summary>
    /// Continues <paramref name="inputIds"/> [B, T] (left-padded where <paramref name="attentionMask"/> is 0) and
    /// returns each row's new tokens, up to and including the EOS or the token that completed a stop string.
    /// </summary>
    public static IReadOnlyList<int>[] Generate(CausalLanguageModel model, Tensor inputIds, Tensor? attentionMask, GenerationOptions options)
    {
        if (options.StopStrings is { Count: > 0 } && options.Decode is null)
            throw new ArgumentException("stop strings need a Decode callback", nameof(options));
        using var scope = NewDisposeScope();
        using var cache = new KvCache(model.NumLayers);
        var mask = attentionMask?.to_type(ScalarType.Int64) ?? ones_like(inputIds, ScalarType.Int64);
        return Decode(model, inputIds, mask, cache, options);
    }

    /// <summary>
    /// As <see cref="Generate"/> for <paramref name="rows"/> (token lists, left-padded with <paramref name="padId"/>
    /// here), computing the tokens every row starts with only once: their keys and values come from one forward of
    /// batch 1, and each row's forward starts after them (the batch is laid out as the shared tokens, then each
    /// row's remaining tokens left-padded). The result is the same computation; floats can differ by summation order.
    /// </summary>
    public static IReadOnlyList<int>[] GenerateSharingPrefix(CausalLanguageModel model, IReadOnlyList<IReadOnlyList<int>> rows, long padId,
        GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        // Every row keeps at least one token of its own, whose logits start the decoding.
        int shared = rows.Count < 2 ? 0 : Math.Min(SharedPrefix.Length(rows), rows.Min(r => r.Count) - 1);
        using var scope = NewDisposeScope();
        if (shared <= 0)
        {
            var (ids, mask) = LeftPadding.Pad(rows, padId, model.Device);
            return Generate(model, ids, mask, options);
        }
        using var cache = new KvCache(model.NumLayers);
        using (var prefix = tensor(rows[0].Take(shared).Select(i => (long)i).ToArray(), [1, shared], device: model.Device))
            model.Forward(prefix, null, null, [-1], null, cache).Dispose();
        cache.ExpandBatch(rows.Count);
        var (rest, restMask) = LeftPadding.Pad(rows.Select(r => (IReadOnlyList<int>)r.Skip(shared).ToList()).ToList(), padId, model.Device);
        var full = cat([ones(rows.Count, shared, dtype: ScalarType.Int64, device: model.Device), restMask], 1);
        return Decode(model, rest, full, cache, options);
    }

    // The prompt forward (after whatever the cache already holds) and the decoding loop; mask covers cache and ids.
    private static IReadOnlyList<int>[] Decode(CausalLanguageModel model, Tensor inputIds, Tensor mask, KvCache cache, GenerationOptions options)
    {
        if (options.StopStrings is { Count: > 0 } && options.Decode is null)
            throw new ArgumentException("stop strings need a Decode callback", nameof(options));
        if (options.Sampling is { } sampling && sampling.Rows != inputIds.shape[0])
            throw new ArgumentException($"sampling has {sampling.Rows} row seeds for a batch of {inputIds.shape[0]}", nameof(options));
        var eos = (options.EosTokenIds ?? model.Config.EosTokenIds).Select(i => (long)i).ToHashSet();
        long pad = model.Config.PadTokenId ?? 0;
        int b = (int)inputIds.shape[0];
        long past = cache.Length;
        var outputs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var done = new bool[b];

        using var scope = NewDisposeScope();
        var positions = mask.cumsum(1).Minus(1).AtLeast(0).narrow(1, past, inputIds.shape[1]);
        var next = positions.select(1, -1).unsqueeze(1);
        var logits = model.Forward(inputIds, mask, positions, [-1], null, cache);
        for (int step = 0; step < options.MaxNewTokens; step++)
        {
            var tokens = NextTokens(logits.select(1, 0), options.Sampling);
            for (int r = 0; r < b; r++)
            {
                if (done[r]) { tokens[r] = pad; continue; }
                outputs[r].Add((int)tokens[r]);
                if (eos.Contains(tokens[r]) || StopStringHit(outputs[r], options)) done[r] = true;
            }
            if (done.All(d => d) || step == options.MaxNewTokens - 1) break;
            using var stepScope = NewDisposeScope();
            var ids = tensor(tokens, [b, 1], device: model.Device);
            mask = cat([mask, ones(b, 1, dtype: ScalarType.Int64, device: model.Device)], 1).MoveToOuterDisposeScope();
            next = next.Plus(1).MoveToOuterDisposeScope();
            logits = model.Forward(ids, mask, next, [-1], null, cache).MoveToOuterDisposeScope();
        }
        return outputs;
    }

    // [B, V] logits of the last position -> one token per row.
    private static long[] NextTokens(Tensor last, TokenSampling? sampling)
    {
        // One device-to-host copy per step: B token ids (or, when sampling, B rows of logits).
        if (sampling is null) return last.argmax(-1).cpu().data<long>().ToArray();
        using var scope = NewDisposeScope();
        var values = last.to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        int vocab = (int)last.shape[1];
        var tokens = new long[last.shape[0]];
        for (int r = 0; r < tokens.Length; r++)
            tokens[r] = sampling.Sample(r, values.AsSpan(r * vocab, vocab));
        return tokens;
    }

    private static bool StopStringHit(List<int> tokens, GenerationOptions options)
    {
        if (options.StopStrings is not { Count: > 0 } stops) return false;
        var text = options.Decode!(tokens);
        return stops.Any(s => text.Contains(s, StringComparison.Ordinal));
    }
}
