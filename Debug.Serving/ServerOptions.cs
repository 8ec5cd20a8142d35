using System.Net;

namespace Debug.Serving;

/// <summary>Where and how a <see cref="CompletionServer"/> listens, and the bounds it puts on a request.</summary>
public sealed record ServerOptions
{
    /// <summary>Address to listen on; only loopback addresses are accepted (the server has no authentication).</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one (see <see cref="CompletionServer.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>The model name clients ask for and <c>/v1/models</c> lists; null: the model's display name.</summary>
    public string? ServedModelName { get; init; }

    /// <summary>Largest <c>max_tokens</c> a request may ask for (each generated token is a forward pass).</summary>
    public int MaxTokensLimit { get; init; } = 512;

    /// <summary>Largest <c>n</c> (choices per prompt).</summary>
    public int MaxChoices { get; init; } = 16;

    /// <summary>Largest number of prompts in one <c>/v1/completions</c> request.</summary>
    public int MaxPrompts { get; init; } = 64;

    /// <summary>Largest request body in bytes.</summary>
    public long MaxRequestBytes { get; init; } = 4 << 20;

    /// <summary>Faults to inject (tests of a client's failure paths); null serves normally.</summary>
    public ServerFault? Fault { get; init; }

    /// <summary>Checks the settings, naming the bad one.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, or the host is not a loopback address.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Host);
        if (!IPAddress.IsLoopback(Host))
            throw new ArgumentException($"Host {Host} is not a loopback address: the server has no authentication, so it only listens on 127.0.0.1 or ::1.", nameof(Host));
        if (Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(Port), Port, "0..65535 (0: any free port)");
        if (MaxTokensLimit < 1) throw new ArgumentOutOfRangeException(nameof(MaxTokensLimit), MaxTokensLimit, "at least 1");
        if (MaxChoices < 1) throw new ArgumentOutOfRangeException(nameof(MaxChoices), MaxChoices, "at least 1");
        if (MaxPrompts < 1) throw new ArgumentOutOfRangeException(nameof(MaxPrompts), MaxPrompts, "at least 1");
        if (ServedModelName is { } name && string.IsNullOrWhiteSpace(name)) throw new ArgumentException("ServedModelName is blank.", nameof(ServedModelName));
    }
}

/// <summary>
/// Faults a <see cref="CompletionServer"/> injects into completion requests, so a client's retries, timeouts and error
/// messages can be tested against a real HTTP server. <c>/v1/models</c> is never faulted.
/// </summary>
public sealed record ServerFault
{
    /// <summary>Status code returned instead of an answer (e.g. 500, 429); null: no status fault.</summary>
    public int? Status { get; init; }

    /// <summary>Index of the first completion request (0-based, counting every one received) that gets <see cref="Status"/>.</summary>
    public int Start { get; init; }

    /// <summary>How many completion requests from <see cref="Start"/> on get <see cref="Status"/>; the others are served.</summary>
    public int Count { get; init; } = int.MaxValue;

    /// <summary>Answer 200 with a body that is not valid JSON.</summary>
    public bool MalformedJson { get; init; }

    /// <summary>Wait this long before answering (a client with a shorter timeout gives up).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>
    /// Put the request's Authorization header into the error body: a server that echoes credentials, to test that a
    /// client never lets the key into its exceptions.
    /// </summary>
    public bool EchoAuthorization { get; init; }
}
