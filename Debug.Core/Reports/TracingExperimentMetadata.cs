using Debug.Core.Serialization;
using System.Globalization;
using System.Text.Json;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Tasks;

namespace Debug.Core.Reports;

/// <summary>
/// <c>experiment_metadata.json</c> of a tracing run, with the Python framework's fields (its <c>_10</c>/<c>_12</c>
/// scripts write model_id, rng_seed, seq_len, program, counterfactual_program, query_var, expected_answer, hops,
/// intervention_targets, num_interventions, timestamp) plus Debug's counterfactual answer and seed.
/// </summary>
public static class TracingExperimentMetadata
{
    /// <summary>The file name.</summary>
    public const string FileName = "experiment_metadata.json";

    /// <summary>Writes the file into <paramref name="folder"/> and returns its path.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="model">The model's name.</param>
    /// <param name="c">The traced case.</param>
    /// <param name="interventions">How many interventions the run made.</param>
    /// <param name="utcNow">The time to record.</param>
    /// <param name="frameworkProgram">
    /// The case is the framework's own program (<see cref="PythonBindingTracingCase"/>): the generator says so, and the
    /// counterfactual's seed is <c>random.seed(rng_seed)</c>'s.
    /// </param>
    public static string Write(string folder, string model, BindingTracingCase c, int interventions, DateTime utcNow, bool frameworkProgram = false)
    {
        ArgumentNullException.ThrowIfNull(c);
        var original = c.Twin.Original;
        var document = new Dictionary<string, object?>
        {
            ["model_id"] = model,
            ["rng_seed"] = c.Seed,
            ["seq_len"] = c.Lines,
            ["program"] = original.Program,
            ["counterfactual_program"] = c.Twin.Counterfactual.Program,
            ["query_var"] = original.Metadata.QueryVariable,
            ["expected_answer"] = CaseResult.PythonValue(original.Expected),
            ["hops"] = c.Hops,
            ["intervention_targets"] = c.Targets.ToPositions(),
            ["num_interventions"] = interventions,
            ["timestamp"] = utcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["counterfactual_answer"] = CaseResult.PythonValue(c.Twin.Counterfactual.Expected),
            ["counterfactual_seed"] = frameworkProgram ? c.Seed : BindingTracingCase.CounterfactualSeed(c.Seed),
            ["generator"] = frameworkProgram
                ? $"{PythonBindingTracingCase.GeneratorName} (the framework's, RandomState(rng_seed)); counterfactual: CounterfactualGenerator.create_counterfactual after random.seed(rng_seed)"
                : "Debug exact-hops variable binding (VariableBindingGenerator), not the framework's make_variable_binding_program",
        };
        string path = Path.Combine(folder, FileName);
        AtomicFile.WriteAllText(path, DebugJson.Serialize(document));
        return path;
    }
}
