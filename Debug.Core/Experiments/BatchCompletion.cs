using Debug.Core.Model;
using Debug.Core.Model.Generation;
using static TorchSharp.torch;

namespace Debug.Core.Experiments;

/// <summary>One prompt's greedy completion.</summary>
/// <param name="Text">The decoded new tokens, special tokens removed.</param>
/// <param name="PromptTokens">Prompt length in tokens.</param>
/// <param name="NewTokens">Number of generated tokens (EOS included).</param>
public sealed record Completion(string Text, int PromptTokens, int NewTokens)
{
    /// <summary>The generated ids, EOS included; <see cref="Text"/> is <see cref="BatchCompletion.Decode"/> of them, all at once.</summary>
    public IReadOnlyList<int> Ids { get; init; } = [];

    /// <summary>Equal when the text, both counts and the generated ids are (the ids by value, not by list instance).</summary>
    public bool Equals(Completion? other) =>
        other is not null && Text == other.Text && PromptTokens == other.PromptTokens && NewTokens == other.NewTokens && Ids.SequenceEqual(other.Ids);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Text, PromptTokens, NewTokens, Ids.Count);
}

/// <summary>Batched greedy completion of prompts with left padding.</summary>
public static class BatchCompletion
{
    /// <summary>
    /// Completes every prompt greedily, <paramref name="batchSize"/> at a time. Rows are left-padded so that every
    /// prompt's last token sits in the final column; a row stops at EOS, at a newline that follows the answer, or
    /// after <paramref name="maxNewTokens"/>. With <paramref name="sharePrefix"/> the tokens every prompt of a batch
    /// starts with (the template's text before the code) run once per batch
    /// (<see cref="GreedyGenerator.GenerateSharingPrefix"/>). With a <paramref name="temperature"/> above 0 tokens are
    /// sampled instead, prompt i drawing from <paramref name="seeds"/>[i] (<see cref="TokenSampling"/>), so its
    /// completion does not depend on the batch.
    /// </summary>
    public static IReadOnlyList<Completion> Run(LoadedModel model, IReadOnlyList<string> prompts, int maxNewTokens, int batchSize,
        bool sharePrefix = true, double temperature = 0, IReadOnlyList<ulong>? seeds = null)
    {
        if (temperature > 0 && (seeds is null || seeds.Count != prompts?.Count))
            throw new ArgumentException("sampling at a temperature needs one seed per prompt", nameof(seeds));
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        ObjectDisposedException.ThrowIf(model.IsDisposed, model);
        var tokenizer = model.Tokenizer;
        var options = new GenerationOptions(maxNewTokens, model.EosIds, StopStrings: ["\n"],
            // Stop at the first newline AFTER some text: a model that opens with a blank line still gets to answer.
            Decode: ids => Decode(model, ids).TrimStart());
        var results = new Completion[prompts.Count];
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, prompts.Count - start);
            var encoded = new int[count][];
            for (int r = 0; r < count; r++)
            {
                encoded[r] = [.. tokenizer.Encode(prompts[start + r], addSpecialTokens: true).Ids];
                if (encoded[r].Length == 0)
                    throw new ArgumentException($"Prompt {start + r} encodes to no tokens.", nameof(prompts));
            }
            IReadOnlyList<int>[] outputs;
            using (var scope = NewDisposeScope())
            {
                var rowOptions = temperature > 0
                    ? options with { Sampling = new TokenSampling(temperature, [.. seeds!.Skip(start).Take(count)]) }
                    : options;
                if (sharePrefix) outputs = GreedyGenerator.GenerateSharingPrefix(model.Model, encoded, model.PadId, rowOptions);
                else
                {
                    var (ids, mask) = LeftPadding.Pad(encoded, model.PadId, model.Model.Device);
                    outputs = GreedyGenerator.Generate(model.Model, ids, mask, rowOptions);
                }
            }
            for (int r = 0; r < count; r++)
                // The whole sequence at once: a character split across tokens (byte-level BPE) decodes whole only together.
                results[start + r] = new Completion(Decode(model, outputs[r]), encoded[r].Length, outputs[r].Count) { Ids = outputs[r] };
        }
        return results;
    }

    /// <summary>
    /// Decodes generated ids, skipping special tokens and ids the tokenizer does not have: checkpoints pad the
    /// embedding matrix past the vocabulary (Qwen3: 151936 rows, about 151669 tokens), and an untrained or random
    /// model can pick a padding row, which <see cref="Tokenization.ModelTokenizer.Decode"/> rejects.
    /// </summary>
    public static string Decode(LoadedModel model, IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Tokenizer.Decode(ids.Where(id => model.Tokenizer.IdToToken(id) is not null), skipSpecialTokens: true);
    }
}
