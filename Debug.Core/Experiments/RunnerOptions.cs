using Debug.Core.Experiments.Endpoints;
using static TorchSharp.torch;

namespace Debug.Core.Experiments;

/// <summary>How an <see cref="ExperimentRunner"/> treats models and output.</summary>
public sealed record RunnerOptions
{
    /// <summary>Folder that receives one subfolder per run; null means <c>results/</c> in the repository.</summary>
    public string? ResultsRoot { get; init; }

    /// <summary>Whether result files are written at all (false for quick in-memory checks).</summary>
    public bool WriteFiles { get; init; } = true;

    /// <summary>
    /// Keep models loaded between runs (default). When false every model is freed right after its part of a run,
    /// which bounds memory when sweeping many large models.
    /// </summary>
    public bool CacheModels { get; init; } = true;

    /// <summary>
    /// When true a model that fails to load is recorded in <see cref="ExperimentResult.ModelErrors"/> and the
    /// other models still run; when false (default) the failure is thrown.
    /// </summary>
    public bool ContinueOnModelError { get; init; }

    /// <summary>
    /// libtorch intra-op threads, set when a run starts (process-wide); null keeps the current setting. Small models
    /// gain little from threads, and on a busy two-core machine two threads measured ten times slower than one.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Folder of the weight-hash cache behind each run's provenance record; null means <see cref="WeightHashCache.DefaultFolder"/>.
    /// </summary>
    public string? HashCacheFolder { get; init; }

    /// <summary>
    /// Dtype of weights and compute; null (default): the device's (<see cref="Model.ModelDevice.DefaultDtype"/>:
    /// bfloat16 on CUDA, float32 on the CPU, where bf16 matmuls are slow without bf16 units).
    /// </summary>
    public ScalarType? ComputeDtype { get; init; }

    /// <summary>Device of in-process models; null: <c>DEBUG_DEVICE</c>, else CUDA when available, else the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>Concurrency, retries and timeout of endpoint models (<c>openai:</c>, <c>endpoint:</c>).</summary>
    public EndpointOptions Endpoint { get; init; } = new();
}
