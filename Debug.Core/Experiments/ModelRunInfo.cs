namespace Debug.Core.Experiments;

/// <summary>
/// One model's part of a run as results record it (models.json): where it ran and the request settings. Holds no
/// credentials: an endpoint is its URL without user info or query, and an API key only by its variable's name.
/// </summary>
public sealed record ModelRunInfo
{
    /// <summary><see cref="Backend"/> of Debug's own engine.</summary>
    public const string InProcess = "in_process";

    /// <summary><see cref="Backend"/> of an OpenAI-compatible endpoint.</summary>
    public const string Endpoint = "openai_compatible_endpoint";

    /// <summary>The stop rule both backends apply (recorded so a reader knows what a completion is).</summary>
    public const string StopRuleDescription = "EOS, the first newline after some text, or max_new_tokens";

    /// <summary>Display name.</summary>
    public required string Model { get; init; }

    /// <summary><see cref="InProcess"/> or <see cref="Endpoint"/>.</summary>
    public required string Backend { get; init; }

    /// <summary>Checkpoint folder (in process).</summary>
    public string? Folder { get; init; }

    /// <summary>Compute dtype (in process).</summary>
    public string? Dtype { get; init; }

    /// <summary>API root, without credentials (endpoint).</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>The model name sent to the endpoint.</summary>
    public string? ServedModel { get; init; }

    /// <summary>The API called, e.g. <c>chat/completions</c> (endpoint).</summary>
    public string? Api { get; init; }

    /// <summary>Name of the environment variable the key came from, or null when no key was sent (endpoint).</summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>max_tokens / max new tokens per completion.</summary>
    public required int MaxNewTokens { get; init; }

    /// <summary>0 for greedy.</summary>
    public required double Temperature { get; init; }

    /// <summary>Samples per prompt (1: greedy, one completion).</summary>
    public required int BestOf { get; init; }

    /// <summary>When a completion ends.</summary>
    public string StopRule { get; init; } = StopRuleDescription;

    /// <summary>Requests in flight at most (endpoint).</summary>
    public int? Concurrency { get; init; }

    /// <summary>Retries after a 408/429/5xx or a network error, with exponential backoff (endpoint).</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Per-request timeout in seconds (endpoint).</summary>
    public double? TimeoutSeconds { get; init; }
}
