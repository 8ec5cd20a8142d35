namespace Debug.Core.Experiments;

/// <summary>
/// Where the accuracy runner's prompts are completed: Debug's own engine (<see cref="InProcessBackend"/>) or an
/// OpenAI-compatible endpoint (<see cref="Endpoints.EndpointModel"/>). Both apply the same stop rule and return the
/// raw completion; parsing and scoring stay in the runner, so the two are judged alike.
/// </summary>
public interface ICompletionBackend
{
    /// <summary>Completes each prompt once; result i belongs to prompt i.</summary>
    IReadOnlyList<Completion> Complete(IReadOnlyList<string> prompts, CompletionRequest request);

    /// <summary>What a results file records about this model and the settings it was asked with.</summary>
    ModelRunInfo Describe(CompletionRequest request, int bestOf);
}

/// <summary>The generation settings of one call.</summary>
/// <param name="MaxNewTokens">Upper bound on new tokens per prompt.</param>
/// <param name="BatchSize">Prompts per forward batch (in process) or per dispatch (endpoint).</param>
/// <param name="Temperature">0: greedy. Above 0: sampled, prompt i from <paramref name="Seeds"/>[i].</param>
/// <param name="Seeds">One sampling seed per prompt; required when <paramref name="Temperature"/> is above 0.</param>
public sealed record CompletionRequest(int MaxNewTokens, int BatchSize, double Temperature = 0, IReadOnlyList<ulong>? Seeds = null);

/// <summary>Debug's engine in this process.</summary>
public sealed class InProcessBackend(LoadedModel model) : ICompletionBackend
{
    /// <summary>The loaded model.</summary>
    public LoadedModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <inheritdoc />
    public IReadOnlyList<Completion> Complete(IReadOnlyList<string> prompts, CompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BatchCompletion.Run(Model, prompts, request.MaxNewTokens, request.BatchSize, temperature: request.Temperature, seeds: request.Seeds);
    }

    /// <inheritdoc />
    public ModelRunInfo Describe(CompletionRequest request, int bestOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ModelRunInfo
        {
            Model = Model.Reference.DisplayName,
            Backend = ModelRunInfo.InProcess,
            Folder = Model.Folder,
            Dtype = Model.Model.ComputeDtype.ToString(),
            MaxNewTokens = request.MaxNewTokens,
            Temperature = request.Temperature,
            BestOf = bestOf,
        };
    }
}
