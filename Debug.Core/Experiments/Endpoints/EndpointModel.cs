using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Debug.Core.Experiments.Endpoints;

/// <summary>
/// An OpenAI-compatible endpoint as a model of the accuracy runner. Each rendered prompt is sent as one user message
/// to <c>chat/completions</c> through Microsoft.Extensions.AI's <see cref="IChatClient"/> over the OpenAI adapter,
/// with the run's max-new-tokens and temperature (0: greedy), at most <see cref="EndpointOptions.Concurrency"/> at
/// once; the reply is cut by <see cref="AnswerLine"/>, the in-process stop rule. Failures become an
/// <see cref="EndpointException"/> naming the endpoint; the API key never appears in one.
/// </summary>
public sealed class EndpointModel : ICompletionBackend, IDisposable
{
    /// <summary>The API the prompts go to.</summary>
    public const string Api = "chat/completions";

    private readonly IChatClient _chat;
    private readonly string? _key;

    /// <summary>Creates the client; reads the key from <paramref name="environment"/> (default: the process environment).</summary>
    /// <exception cref="EndpointException">The reference names a key variable that is unset.</exception>
    public EndpointModel(EndpointReference endpoint, EndpointOptions? options = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        Options = options ?? new EndpointOptions();
        Options.Validate();
        _key = endpoint.ReadKey(environment);
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint.BaseAddress,
            NetworkTimeout = Options.RequestTimeout,
            RetryPolicy = new BackoffRetryPolicy(Options),
        };
        // The client insists on a credential; a server that needs none ignores the placeholder.
        _chat = new ChatClient(endpoint.ServedModel, new ApiKeyCredential(_key ?? "no-key"), clientOptions).AsIChatClient();
    }

    /// <summary>Where the prompts go.</summary>
    public EndpointReference Endpoint { get; }

    /// <summary>Concurrency, retries, timeout.</summary>
    public EndpointOptions Options { get; }

    /// <inheritdoc />
    /// <exception cref="EndpointException">A request failed after its retries, timed out, or got a malformed reply.</exception>
    public IReadOnlyList<Completion> Complete(IReadOnlyList<string> prompts, CompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Temperature > 0 && (request.Seeds is null || request.Seeds.Count != prompts.Count))
            throw new ArgumentException("sampling at a temperature needs one seed per prompt", nameof(request));
        var results = new Completion[prompts.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.Concurrency };
        // Off the caller's synchronization context: the runner is synchronous, and a test host's context must not deadlock it.
        Task.Run(() => Parallel.ForEachAsync(Enumerable.Range(0, prompts.Count), parallel,
            async (i, ct) => results[i] = await CompleteOneAsync(prompts[i], request, request.Seeds?[i], ct).ConfigureAwait(false)))
            .GetAwaiter().GetResult();
        return results;
    }

    private async Task<Completion> CompleteOneAsync(string prompt, CompletionRequest request, ulong? seed, CancellationToken ct)
    {
        var chatOptions = new ChatOptions
        {
            Temperature = (float)request.Temperature,
            MaxOutputTokens = request.MaxNewTokens,
            // OpenAI's seed is a signed 64-bit number; the runner's seeds have 63 bits.
            Seed = seed is ulong s ? (long)(s & long.MaxValue) : null,
        };
        ChatResponse response;
        try
        {
            response = await _chat.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], chatOptions, ct).ConfigureAwait(false);
        }
        catch (ClientResultException e) when (e.Status == 0)
        {
            // No HTTP status: the connection itself failed (refused, DNS, reset).
            throw Fail($"unreachable after {Options.MaxRetries} retries: {e.Message}", e);
        }
        catch (ClientResultException e)
        {
            throw Fail($"HTTP {e.Status} after {Options.MaxRetries} retries: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw Fail($"unreachable after {Options.MaxRetries} retries: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw Fail($"no answer within the per-request timeout of {Options.RequestTimeout.TotalSeconds:0.###} s " +
                $"({Options.MaxRetries} retries).", e);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw Fail($"answered with malformed JSON (not an OpenAI chat completion): {e.Message}", e);
        }
        string text = AnswerLine.Cut(response.Text ?? "");
        return new Completion(text, (int)(response.Usage?.InputTokenCount ?? 0), (int)(response.Usage?.OutputTokenCount ?? 0));
    }

    // The key is replaced in every message; an inner exception is kept only when nothing in it holds the key.
    private EndpointException Fail(string problem, Exception inner)
    {
        bool leaks = _key is { Length: > 0 } && inner.ToString().Contains(_key, StringComparison.Ordinal);
        return new EndpointException(Endpoint, Redact(problem), leaks ? null : inner);
    }

    private string Redact(string text) => _key is { Length: > 0 } ? text.Replace(_key, "***", StringComparison.Ordinal) : text;

    /// <inheritdoc />
    public ModelRunInfo Describe(CompletionRequest request, int bestOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ModelRunInfo
        {
            Model = Endpoint.DisplayName,
            Backend = ModelRunInfo.Endpoint,
            EndpointUrl = Endpoint.BaseAddress.ToString(),
            ServedModel = Endpoint.ServedModel,
            Api = Api,
            ApiKeyVariable = Endpoint.KeyVariable,
            MaxNewTokens = request.MaxNewTokens,
            Temperature = request.Temperature,
            BestOf = bestOf,
            Concurrency = Options.Concurrency,
            MaxRetries = Options.MaxRetries,
            TimeoutSeconds = Options.RequestTimeout.TotalSeconds,
        };
    }

    /// <inheritdoc />
    public void Dispose() => _chat.Dispose();
}
