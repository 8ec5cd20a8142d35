using System.Text.Json;

namespace Debug.Serving;

/// <summary>
/// The fields of an OpenAI completions or chat-completions request that Debug's engine honours, read leniently (as
/// vLLM does: <c>max_tokens</c> or <c>max_completion_tokens</c>, <c>stop</c> as a string or a list, message content as
/// a string or a list of text parts). Other fields are ignored.
/// </summary>
internal sealed record CompletionRequestBody(IReadOnlyList<string> Prompts, int MaxTokens, double Temperature, int N,
    ulong? Seed, IReadOnlyList<string> Stops, string? Model)
{
    /// <summary>OpenAI's default max_tokens for legacy completions.</summary>
    public const int DefaultMaxTokens = 16;

    /// <summary>Reads a <c>/v1/completions</c> body.</summary>
    /// <exception cref="RequestException">A field is missing or has the wrong type or range.</exception>
    public static CompletionRequestBody ReadCompletion(JsonElement body, ServerOptions limits)
    {
        if (!body.TryGetProperty("prompt", out var prompt)) throw new RequestException("prompt", "'prompt' is required");
        List<string> prompts = prompt.ValueKind switch
        {
            JsonValueKind.String => [prompt.GetString()!],
            JsonValueKind.Array when prompt.EnumerateArray().All(p => p.ValueKind == JsonValueKind.String) =>
                [.. prompt.EnumerateArray().Select(p => p.GetString()!)],
            _ => throw new RequestException("prompt", "'prompt' must be a string or a list of strings (token-id prompts are not supported)"),
        };
        if (prompts.Count == 0 || prompts.Count > limits.MaxPrompts)
            throw new RequestException("prompt", $"1 to {limits.MaxPrompts} prompts per request, got {prompts.Count}");
        return Common(body, prompts, limits);
    }

    /// <summary>Reads a <c>/v1/chat/completions</c> body. The engine has no chat template: the messages' texts, joined by newlines, are the prompt.</summary>
    /// <exception cref="RequestException">A field is missing or has the wrong type or range.</exception>
    public static CompletionRequestBody ReadChat(JsonElement body, ServerOptions limits)
    {
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            throw new RequestException("messages", "'messages' must be a non-empty list");
        var texts = new List<string>();
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content))
                throw new RequestException("messages", "every message needs 'content'");
            texts.Add(content.ValueKind switch
            {
                JsonValueKind.String => content.GetString()!,
                JsonValueKind.Array => string.Concat(content.EnumerateArray()
                    .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out _))
                    .Select(p => p.GetProperty("text").GetString())),
                _ => throw new RequestException("messages", "'content' must be a string or a list of text parts"),
            });
        }
        return Common(body, [string.Join('\n', texts)], limits);
    }

    private static CompletionRequestBody Common(JsonElement body, List<string> prompts, ServerOptions limits)
    {
        int maxTokens = Int(body, "max_completion_tokens") ?? Int(body, "max_tokens") ?? DefaultMaxTokens;
        if (maxTokens < 1 || maxTokens > limits.MaxTokensLimit)
            throw new RequestException("max_tokens", $"max_tokens must be 1..{limits.MaxTokensLimit}, got {maxTokens}");
        double temperature = Number(body, "temperature") ?? 1.0;
        if (temperature < 0 || temperature > 100) throw new RequestException("temperature", $"temperature must be 0..100, got {temperature}");
        int n = Int(body, "n") ?? 1;
        if (n < 1 || n > limits.MaxChoices) throw new RequestException("n", $"n must be 1..{limits.MaxChoices}, got {n}");
        ulong? seed = body.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number
            ? (s.TryGetInt64(out long signed) ? unchecked((ulong)signed) : throw new RequestException("seed", "seed must be an integer"))
            : null;
        List<string> stops = !body.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null ? []
            : stop.ValueKind == JsonValueKind.String ? [stop.GetString()!]
            : stop.ValueKind == JsonValueKind.Array && stop.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String)
                ? [.. stop.EnumerateArray().Select(x => x.GetString()!).Where(x => x.Length > 0)]
                : throw new RequestException("stop", "'stop' must be a string or a list of strings");
        string? model = body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return new CompletionRequestBody(prompts, maxTokens, temperature, n, seed, stops, model);
    }

    private static int? Int(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i
        : throw new RequestException(name, $"'{name}' must be an integer");

    private static double? Number(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number ? v.GetDouble()
        : throw new RequestException(name, $"'{name}' must be a number");
}

/// <summary>A request the server rejects with 400, naming the field.</summary>
internal sealed class RequestException(string param, string message) : Exception(message)
{
    public string Param { get; } = param;
}
