namespace Debug.Core.Experiments.Endpoints;

/// <summary>How requests to an endpoint model are made.</summary>
public sealed record EndpointOptions
{
    /// <summary>Requests in flight at once, per model (hosted APIs rate-limit; local servers batch what they get).</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Retries of a request that got 408, 429 or 5xx, or failed on the network.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Wait before the first retry; doubled before each further one. A Retry-After header wins (up to <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two tries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time one try may take before it is abandoned (and retried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the settings, naming the bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Concurrency < 1) throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "at least 1");
        if (MaxRetries < 0) throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "0 or more");
        if (RetryBaseDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryBaseDelay), RetryBaseDelay, "not negative");
        if (MaxRetryDelay < RetryBaseDelay) throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), MaxRetryDelay, "at least RetryBaseDelay");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "positive");
    }
}
