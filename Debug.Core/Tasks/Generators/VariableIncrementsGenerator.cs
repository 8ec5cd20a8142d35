using System.Text;
using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about a <see cref="VariableIncrementsGenerator"/> program.</summary>
/// <param name="QueryVariable">The variable asked about.</param>
/// <param name="Variables">All tracked variables, in the order they are initialised.</param>
/// <param name="StepVariables">Which variable each numbered step increments.</param>
/// <param name="FinalValues">Each variable's value after the last step, keyed by name.</param>
public sealed record VariableIncrementsMetadata(
    string QueryVariable,
    IReadOnlyList<string> Variables,
    IReadOnlyList<string> StepVariables,
    IReadOnlyDictionary<string, long> FinalValues) : TaskMetadata(QueryVariable);

/// <summary>
/// Entity tracking over two or three variables: each is initialised, then numbered steps increment one of them,
/// each line carrying a <c># step i</c> comment. The comments give the model positional anchors without leaking values.
/// <c>seqLen</c> = the number of increment steps.
/// </summary>
public sealed class VariableIncrementsGenerator : ITaskGenerator
{
    private static readonly string[] Names = ["a", "b", "c"];

    /// <inheritdoc />
    public string Name => "variable_increments";

    /// <inheritdoc />
    public int MaxSeqLen => 200;

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        int count = rng.NextInt(2, 4);
        var variables = Names[..count];
        var values = new Dictionary<string, long>();
        var text = new StringBuilder();
        foreach (string v in variables)
        {
            values[v] = rng.NextInt(10);
            text.Append($"{v} = {values[v]}\n");
        }
        var steps = new string[seqLen];
        for (int i = 0; i < seqLen; i++)
        {
            string v = rng.Choice(variables);
            int k = rng.NextInt(1, 10);
            values[v] += k;
            steps[i] = v;
            text.Append($"{v} += {k}  # step {i + 1}\n");
        }
        // Prefer a variable that was actually stepped, so the answer depends on the steps.
        string query = rng.Choice(steps);
        return new TaskCase(text.ToString(), Py(values[query]),
            new VariableIncrementsMetadata(query, variables, steps, values));
    }
}
