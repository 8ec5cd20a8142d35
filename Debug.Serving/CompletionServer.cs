using System.Text.Json;
using System.Text.Json.Nodes;
using Debug.Core.Experiments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Debug.Serving;

/// <summary>
/// Debug's engine behind an OpenAI-compatible HTTP API (ASP.NET Core minimal API) on a loopback address:
/// <c>GET /v1/models</c>, <c>POST /v1/completions</c> and <c>POST /v1/chat/completions</c>. Other tools (an accuracy
/// run with an <c>endpoint:</c> model, lm-eval-harness's local-completions) can then evaluate a checkpoint through
/// Debug's engine. Bad requests get 400 with an OpenAI error object naming the field; <see cref="ServerFault"/>
/// injects failures for client tests.
/// </summary>
public sealed class CompletionServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedModel _model;
    private readonly ServerOptions _options;
    private int _completionRequests, _inFlight, _maxInFlight;

    private CompletionServer(WebApplication app, ServedModel model, ServerOptions options, Uri baseAddress)
    {
        _app = app;
        _model = model;
        _options = options;
        BaseAddress = baseAddress;
    }

    /// <summary>The API root, e.g. <c>http://127.0.0.1:41234/v1</c> (the port is the one bound, also for port 0).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The served model's name.</summary>
    public string ModelName => _model.Name;

    /// <summary>Completion requests received so far (faulted ones included): lets a test count a client's retries.</summary>
    public int CompletionRequests => Volatile.Read(ref _completionRequests);

    /// <summary>Most completion requests ever in flight at once: lets a test check a client's concurrency bound.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    /// <summary>Starts serving <paramref name="model"/>; returns once the port is bound.</summary>
    /// <exception cref="ArgumentException">The options are invalid (e.g. a host that is not loopback).</exception>
    public static async Task<CompletionServer> StartAsync(LoadedModel model, ServerOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ServerOptions();
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // No request logging: nothing a client sends (its Authorization header included) is written anywhere.
        builder.Logging.ClearProviders();
        // A client that gave up on a slow (fault-injected) request must not hold up shutdown for the default 30 s.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Host, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
        });
        var app = builder.Build();
        var served = new ServedModel(model, options.ServedModelName ?? model.Reference.DisplayName);
        CompletionServer? server = null;
        app.MapGet("/v1/models", () => Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject { ["id"] = served.Name, ["object"] = "model", ["created"] = 0, ["owned_by"] = "debug" }),
        }));
        app.MapPost("/v1/completions", (Delegate)((HttpContext http) => server!.HandleAsync(http, chat: false)));
        app.MapPost("/v1/chat/completions", (Delegate)((HttpContext http) => server!.HandleAsync(http, chat: true)));
        await app.StartAsync(ct).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new CompletionServer(app, served, options, new Uri(address.TrimEnd('/') + "/v1"));
        return server;
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled (the CLI's Ctrl+C).</summary>
    public Task WaitForShutdownAsync(CancellationToken ct) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, ct);

    private async Task<IResult> HandleAsync(HttpContext http, bool chat)
    {
        int now = Interlocked.Increment(ref _inFlight);
        for (int seen = Volatile.Read(ref _maxInFlight); now > seen; seen = Volatile.Read(ref _maxInFlight))
            Interlocked.CompareExchange(ref _maxInFlight, now, seen);
        try
        {
            return await ServeAsync(http, chat).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<IResult> ServeAsync(HttpContext http, bool chat)
    {
        int index = Interlocked.Increment(ref _completionRequests) - 1;
        if (_options.Fault is { } fault && await InjectAsync(fault, index, http).ConfigureAwait(false) is { } faulted) return faulted;
        CompletionRequestBody request;
        try
        {
            using var json = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw new RequestException("body", "the body must be a JSON object");
            request = chat ? CompletionRequestBody.ReadChat(json.RootElement, _options) : CompletionRequestBody.ReadCompletion(json.RootElement, _options);
        }
        catch (JsonException e)
        {
            return Error(400, $"the body is not valid JSON: {e.Message}", "body");
        }
        catch (RequestException e)
        {
            return Error(400, e.Message, e.Param);
        }
        if (request.Model is { } asked && asked != _model.Name)
            return Error(404, $"model '{asked}' is not served here; this server serves '{_model.Name}'", "model", "model_not_found");

        var choices = new JsonArray();
        int promptTokens = 0, completionTokens = 0;
        ulong seed = request.Seed ?? (ulong)Random.Shared.NextInt64();
        try
        {
            for (int p = 0; p < request.Prompts.Count; p++)
                for (int j = 0; j < request.N; j++)
                {
                    var choice = await _model.CompleteAsync(request.Prompts[p], request.MaxTokens, request.Stops, request.Temperature,
                        unchecked(seed + (ulong)j), http.RequestAborted).ConfigureAwait(false);
                    if (j == 0) promptTokens += choice.PromptTokens;
                    completionTokens += choice.CompletionTokens;
                    var node = new JsonObject { ["index"] = choices.Count, ["finish_reason"] = choice.FinishReason, ["logprobs"] = null };
                    if (chat) node["message"] = new JsonObject { ["role"] = "assistant", ["content"] = choice.Text };
                    else node["text"] = choice.Text;
                    choices.Add(node);
                }
        }
        catch (ArgumentException e)
        {
            return Error(400, e.Message, e.ParamName ?? "prompt");
        }
        return Json(new JsonObject
        {
            ["id"] = (chat ? "chatcmpl-" : "cmpl-") + index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["object"] = chat ? "chat.completion" : "text_completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = _model.Name,
            ["choices"] = choices,
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens,
            },
        });
    }

    private static async Task<IResult?> InjectAsync(ServerFault fault, int index, HttpContext http)
    {
        if (fault.Delay > TimeSpan.Zero)
        {
            try { await Task.Delay(fault.Delay, http.RequestAborted).ConfigureAwait(false); }
            catch (OperationCanceledException) { return Results.Empty; } // the client gave up
        }
        if (fault.Status is int status && index >= fault.Start && index - fault.Start < fault.Count)
        {
            string message = fault.EchoAuthorization ? $"injected fault; you sent Authorization: {http.Request.Headers.Authorization}" : "injected fault";
            return Error(status, message, null, "server_error");
        }
        if (fault.MalformedJson) return Results.Text("{\"id\": \"cmpl-0\", \"choices\": [{\"text\": ", "application/json");
        return null;
    }

    private static IResult Error(int status, string message, string? param, string type = "invalid_request_error") =>
        Json(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = null } }, status);

    // JsonNode writes itself: no reflection-based serializer (disabled for the whole build) is involved.
    private static IResult Json(JsonObject body, int status = 200) =>
        Results.Text(body.ToJsonString(Debug.Core.Serialization.DebugJson.Compact), "application/json", System.Text.Encoding.UTF8, status);

    /// <summary>Stops listening; the model stays loaded (its owner disposes it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
