namespace Debug.Core.Experiments.Endpoints;

/// <summary>
/// An endpoint model could not answer: unreachable, an HTTP error after the retries, a timeout, or a reply that is not
/// the JSON of an OpenAI completion. The message starts with the endpoint (URL and served model, no credentials) and
/// never contains the API key.
/// </summary>
public sealed class EndpointException : Exception
{
    /// <summary>Creates the exception for <paramref name="endpoint"/>.</summary>
    public EndpointException(EndpointReference endpoint, string problem, Exception? inner = null)
        : base($"Endpoint {endpoint?.BaseAddress} (model {endpoint?.ServedModel}): {problem}", inner)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
    }

    /// <summary>The endpoint that failed.</summary>
    public EndpointReference Endpoint { get; }
}
