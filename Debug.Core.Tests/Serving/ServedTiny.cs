using Debug.Core.Experiments;
using Debug.Core.Experiments.Endpoints;
using Debug.Core.Prompts;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tests.Experiments;
using Debug.Serving;

namespace Debug.Core.Tests.Serving;

/// <summary>
/// The embedded model, loaded once for a test class, with helpers to serve it on a loopback port and to run the
/// accuracy runner against it in process or through the endpoint path.
/// </summary>
public sealed class ServedTiny : IDisposable
{
    private readonly TempFolder _temp = new();

    /// <summary>Loads tiny.</summary>
    public ServedTiny() => Model = LoadedModel.Load(ModelReference.Parse(ModelReference.EmbeddedName));

    /// <summary>The embedded model.</summary>
    public LoadedModel Model { get; }

    /// <summary>A fresh results root.</summary>
    public string NewResultsRoot() => _temp.Sub("results_" + Guid.NewGuid().ToString("N"));

    /// <summary>Serves tiny on a free loopback port.</summary>
    public Task<CompletionServer> StartAsync(ServerFault? fault = null) =>
        CompletionServer.StartAsync(Model, new ServerOptions { Port = 0, Fault = fault });

    /// <summary>The endpoint reference of <paramref name="server"/>, optionally with a key variable.</summary>
    public static string Reference(CompletionServer server, string? keyVariable = null) =>
        $"endpoint:{server.BaseAddress}#{server.ModelName}" + (keyVariable is null ? "" : "?key=" + keyVariable);

    /// <summary>A small variable-binding experiment over <paramref name="models"/>.</summary>
    public static ExperimentConfig Binding(int n, params string[] models) =>
        ExperimentConfig.Quick("variable_binding", PromptTemplates.VariableBinding, new VariableBindingGenerator(), n,
            seqLens: [3, 6], models: models, maxNewTokens: 4) with { BatchSize = 8 };

    /// <summary>A runner whose in-process models come from this fixture's already loaded tiny.</summary>
    public ExperimentRunner Runner(string resultsRoot, EndpointOptions? endpoint = null, bool continueOnError = false) =>
        new(new RunnerOptions
        {
            ResultsRoot = resultsRoot,
            ContinueOnModelError = continueOnError,
            Endpoint = endpoint ?? new EndpointOptions { Concurrency = 4, MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(30) },
        });

    /// <inheritdoc />
    public void Dispose()
    {
        Model.Dispose();
        _temp.Dispose();
    }
}
