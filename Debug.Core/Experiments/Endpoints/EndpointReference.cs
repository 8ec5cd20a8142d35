namespace Debug.Core.Experiments.Endpoints;

/// <summary>
/// A model served behind an OpenAI-compatible HTTP API, as named in a model list:
/// <list type="bullet">
/// <item><c>openai:gpt-4o-mini</c>: OpenAI's own API, key from <c>OPENAI_API_KEY</c>;</item>
/// <item><c>endpoint:http://host:8000/v1#Qwen/Qwen3-14B</c>: any compatible server (vLLM, TGI, llama.cpp,
/// <c>Debug.Cli serve</c>), served model after the <c>#</c>; no key is sent unless one is named.</item>
/// </list>
/// Either form takes a trailing <c>?key=VARIABLE</c> naming the environment variable that holds the API key. The
/// reference holds the variable's name, never its value, so it can be logged and written to results.
/// </summary>
public sealed record EndpointReference
{
    /// <summary>Prefix of OpenAI's hosted models.</summary>
    public const string OpenAIPrefix = "openai:";

    /// <summary>Prefix of any other compatible server.</summary>
    public const string EndpointPrefix = "endpoint:";

    /// <summary>The variable that holds OpenAI's key when the reference names none.</summary>
    public const string DefaultKeyVariable = "OPENAI_API_KEY";

    /// <summary>OpenAI's API root.</summary>
    public static Uri OpenAIBaseAddress { get; } = new("https://api.openai.com/v1");

    private EndpointReference(Uri baseAddress, string servedModel, string? keyVariable, bool isOpenAI)
    {
        BaseAddress = baseAddress;
        ServedModel = servedModel;
        KeyVariable = keyVariable;
        IsOpenAI = isOpenAI;
    }

    /// <summary>The API root the OpenAI paths are appended to (e.g. <c>http://127.0.0.1:8000/v1</c>), without credentials.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The model name the server is asked for.</summary>
    public string ServedModel { get; }

    /// <summary>Environment variable with the API key, or null to send none.</summary>
    public string? KeyVariable { get; }

    /// <summary>Whether this is OpenAI's hosted API.</summary>
    public bool IsOpenAI { get; }

    /// <summary>Short name for test rows, thresholds and results: <c>openai:&lt;model&gt;</c> or <c>endpoint:&lt;model&gt;</c>.</summary>
    public string DisplayName => (IsOpenAI ? OpenAIPrefix : EndpointPrefix) + ServedModel;

    /// <summary>Whether <paramref name="spec"/> names an endpoint model (starts with one of the prefixes).</summary>
    public static bool IsEndpointSpec(string spec) =>
        spec.TrimStart().StartsWith(OpenAIPrefix, StringComparison.OrdinalIgnoreCase)
        || spec.TrimStart().StartsWith(EndpointPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses an <c>openai:</c> or <c>endpoint:</c> reference.</summary>
    /// <exception cref="ArgumentException">The reference is malformed; the message says which part and how to write it.</exception>
    public static EndpointReference Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        spec = spec.Trim();
        var (body, keyVariable) = SplitKey(spec);
        if (body.StartsWith(OpenAIPrefix, StringComparison.OrdinalIgnoreCase))
        {
            string model = body[OpenAIPrefix.Length..].Trim();
            if (model.Length == 0)
                throw new ArgumentException($"Model reference '{spec}': no model after 'openai:' (write openai:gpt-4o-mini).", nameof(spec));
            return new EndpointReference(OpenAIBaseAddress, model, keyVariable ?? DefaultKeyVariable, isOpenAI: true);
        }
        if (!body.StartsWith(EndpointPrefix, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Model reference '{spec}' is not an endpoint (openai:... or endpoint:...).", nameof(spec));
        string rest = body[EndpointPrefix.Length..];
        int hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash < 0 || hash == rest.Length - 1)
            throw new ArgumentException($"Model reference '{spec}': name the served model after '#' " +
                "(write endpoint:http://host:8000/v1#Qwen/Qwen3-14B).", nameof(spec));
        string url = rest[..hash].Trim(), served = rest[(hash + 1)..].Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"Model reference '{Redacted(spec)}': '{Redacted(url)}' is not an http(s) URL.", nameof(spec));
        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0)
            // Credentials in a URL would end up in logs and results; keys belong in an environment variable.
            throw new ArgumentException($"Model reference '{Redacted(spec)}': the URL must not carry credentials or a query; " +
                "put the key in an environment variable and name it with ?key=VARIABLE.", nameof(spec));
        return new EndpointReference(new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/')), served, keyVariable, isOpenAI: false);
    }

    /// <summary>The API key from the environment, or null when none is named.</summary>
    /// <exception cref="EndpointException">The named variable is unset (the message names the variable, not a value).</exception>
    public string? ReadKey(Func<string, string?>? environment = null)
    {
        if (KeyVariable is null) return null;
        string? key = (environment ?? Environment.GetEnvironmentVariable)(KeyVariable);
        if (string.IsNullOrWhiteSpace(key))
            throw new EndpointException(this, $"the API key variable {KeyVariable} is not set.");
        return key;
    }

    /// <inheritdoc />
    public override string ToString() => $"{BaseAddress} ({ServedModel})";

    private static (string Body, string? KeyVariable) SplitKey(string spec)
    {
        int q = spec.LastIndexOf("?key=", StringComparison.OrdinalIgnoreCase);
        if (q < 0) return (spec, null);
        string variable = spec[(q + "?key=".Length)..].Trim();
        if (variable.Length == 0 || !variable.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            // Not echoed: a value that is not a variable name may be the key itself, pasted by mistake.
            throw new ArgumentException("Model reference: '?key=' must name an environment variable (letters, digits, _); " +
                "what follows it is not shown, in case it is a key.", nameof(spec));
        return (spec[..q], variable);
    }

    // A malformed URL might still hold user:password@; never echo that part.
    private static string Redacted(string text)
    {
        int at = text.IndexOf('@', StringComparison.Ordinal), scheme = text.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme >= 0 && at > scheme ? text[..(scheme + 3)] + "***" + text[at..] : text;
    }
}
