using Debug.Core.Experiments;
using Debug.Core.Model;
using Debug.Core.Model.Generation;
using static TorchSharp.torch;

namespace Debug.Serving;

/// <summary>One generated choice: text (cut before a stop string), why it ended, token counts.</summary>
/// <param name="Text">The completion.</param>
/// <param name="FinishReason"><c>stop</c> (EOS or a stop string) or <c>length</c> (max_tokens reached).</param>
/// <param name="PromptTokens">Prompt length in tokens.</param>
/// <param name="CompletionTokens">Generated tokens.</param>
public sealed record ServedChoice(string Text, string FinishReason, int PromptTokens, int CompletionTokens);

/// <summary>
/// Debug's engine as the server uses it: one request at a time (the model's forward is not meant to run
/// concurrently), the prompt encoded exactly as the accuracy runner encodes it (with the tokenizer's special tokens),
/// greedy at temperature 0 and <see cref="TokenSampling"/> above it, OpenAI's stop semantics (the text ends before
/// the first stop string).
/// </summary>
public sealed class ServedModel(LoadedModel model, string name)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The model.</summary>
    public LoadedModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>The name clients use.</summary>
    public string Name { get; } = name;

    /// <summary>Completes <paramref name="prompt"/>.</summary>
    /// <exception cref="ArgumentException">The prompt encodes to no tokens or does not fit the model's context with max_tokens.</exception>
    public async Task<ServedChoice> CompleteAsync(string prompt, int maxTokens, IReadOnlyList<string> stops, double temperature, ulong seed,
        CancellationToken ct)
    {
        int[] ids = [.. Model.Tokenizer.Encode(prompt, addSpecialTokens: true).Ids];
        if (ids.Length == 0) throw new ArgumentException("the prompt encodes to no tokens", "prompt");
        int context = Model.Model.Config.MaxPositionEmbeddings;
        if (ids.Length + maxTokens > context)
            throw new ArgumentException($"prompt ({ids.Length} tokens) plus max_tokens ({maxTokens}) exceeds the model's context of {context}", "max_tokens");
        var options = new GenerationOptions(maxTokens, Model.EosIds, stops.Count > 0 ? stops : null,
            stops.Count > 0 ? tokens => BatchCompletion.Decode(Model, tokens) : null,
            temperature > 0 ? new TokenSampling(temperature, [seed]) : null);
        IReadOnlyList<int> output;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Model.IsDisposed, Model);
            using var scope = NewDisposeScope();
            var (input, mask) = LeftPadding.Pad([ids], Model.PadId, Model.Model.Device);
            output = GreedyGenerator.Generate(Model.Model, input, mask, options)[0];
        }
        finally
        {
            _gate.Release();
        }
        bool eos = output.Count > 0 && Model.EosIds.Contains(output[^1]);
        string text = BatchCompletion.Decode(Model, output);
        int cut = stops.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (cut >= 0) text = text[..cut];
        return new ServedChoice(text, eos || cut >= 0 ? "stop" : "length", ids.Length, output.Count);
    }
}
