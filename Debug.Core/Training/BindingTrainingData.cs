using System.Globalization;
using System.Text;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;

namespace Debug.Core.Training;

/// <summary>One training sequence: byte tokens and, per position, the loss weight of predicting the next token.</summary>
/// <param name="Text">The sequence as text.</param>
/// <param name="Tokens">Token ids (the embedded vocabulary maps each byte to its own id).</param>
/// <param name="TargetWeights">Weight of the loss for predicting Tokens[i + 1] at position i (length Tokens.Length - 1).</param>
/// <param name="Attention">Attention targets for the optional auxiliary loss (see <see cref="AttentionTarget"/>).</param>
public sealed record TrainingSequence(string Text, int[] Tokens, float[] TargetWeights, IReadOnlyList<AttentionTarget> Attention);

/// <summary>
/// "Head <paramref name="Head"/> of layer <paramref name="Layer"/> should attend from <paramref name="Query"/> to
/// <paramref name="Key"/>": the auxiliary supervision that plants a known lookup circuit (see
/// <see cref="BindingTrainingData.AttentionTargets"/>).
/// </summary>
/// <param name="Layer">Decoder layer.</param>
/// <param name="Head">Query head.</param>
/// <param name="Query">Attending position.</param>
/// <param name="Key">Attended position.</param>
public readonly record struct AttentionTarget(int Layer, int Head, int Query, int Key);

/// <summary>
/// Training sequences for variable binding with dense supervision: a program from the suite's own generator, its
/// query line answered, then further queries (<c>#v: d</c>) for other variables of the program. A single answer per
/// program was measured to stall on shortcut plateaus (shared/notes/embedded-model-training.md); querying many
/// variables gives the lookup circuit a gradient on every 1-hop variable in every program.
/// </summary>
public sealed record BindingTrainingData
{
    /// <summary>Shortest program, in assignment lines.</summary>
    public int MinLines { get; init; } = 2;
    /// <summary>Longest program, in assignment lines.</summary>
    public int MaxLines { get; init; } = 17;
    /// <summary>Most queries appended to one program (the generator's own query included).</summary>
    public int MaxQueries { get; init; } = 8;
    /// <summary>Share of programs drawn from exact-hops mode (hops uniform in 1..4) rather than the reference distribution.</summary>
    public double ExactHopsShare { get; init; } = 0.5;

    /// <summary>Draws one sequence.</summary>
    public TrainingSequence Next(DeterministicRng rng)
    {
        int lines = rng.NextInt(MinLines, MaxLines + 1);
        TaskCase task = rng.NextBool(ExactHopsShare)
            ? VariableBindingGenerator.GenerateExactHops(lines, rng.NextInt(1, Math.Min(4, lines) + 1), rng)
            : new VariableBindingGenerator().Generate(lines, rng);
        return Build(task, rng);
    }

    /// <summary>Answers the program's query and <see cref="MaxQueries"/> - 1 more, as one sequence.</summary>
    public TrainingSequence Build(TaskCase task, DeterministicRng rng)
    {
        string program = task.Program;
        int queryLine = program.LastIndexOf("#", StringComparison.Ordinal);
        string body = program[..queryLine];
        string firstQuery = program[(queryLine + 1)..program.IndexOf(':', queryLine)];
        var values = Evaluate(body);
        var others = values.Keys.Where(v => v != firstQuery).ToList();
        rng.Shuffle(others);

        var text = new StringBuilder(body);
        var answerPositions = new List<int>();
        var queries = new List<(string Variable, int Start)>();
        foreach (string v in others.Take(MaxQueries - 1).Prepend(firstQuery))
        {
            queries.Add((v, text.Length));
            text.Append('#').Append(v).Append(": ");
            answerPositions.Add(text.Length - 1); // the space predicts the digit
            text.Append(values[v].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        var s = text.ToString();
        var tokens = EmbeddedVocabulary.Encode(s);
        var weights = new float[tokens.Length - 1];
        foreach (int p in answerPositions) weights[p] = 1f;
        return new TrainingSequence(s, tokens, weights, AttentionTargets(body, queries));
    }

    /// <summary>
    /// The lookup circuit the auxiliary loss plants, in program coordinates (one character = one token):
    /// layer 0 head 0 at each right-hand side attends to its line's left-hand variable (so the RHS position knows
    /// which variable the line defines); layer 0 head 1 at each query's answer position attends to the queried
    /// variable; layers 1..4 head 0 at the answer position attend to the RHS of the query's chain, one link per
    /// layer from the query's own line towards the root, staying on the root literal once it is reached. The last
    /// of these reads the answer digit.
    /// </summary>
    public static List<AttentionTarget> AttentionTargets(string body, IReadOnlyList<(string Variable, int Start)> queries)
    {
        var targets = new List<AttentionTarget>();
        var rhsOf = new Dictionary<string, (string Rhs, int RhsPosition)>(StringComparer.Ordinal);
        int lineStart = 0;
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int rhsPosition = lineStart + line.IndexOf(" = ", StringComparison.Ordinal) + 3;
            targets.Add(new AttentionTarget(0, 0, rhsPosition, lineStart));
            rhsOf[line[..line.IndexOf(' ')]] = (line[(rhsPosition - lineStart)..], rhsPosition);
            lineStart += line.Length + 1;
        }
        foreach (var (variable, start) in queries)
        {
            int answerPosition = start + variable.Length + 2; // "#", the variable, ":" then the space
            targets.Add(new AttentionTarget(0, 1, answerPosition, start + 1));
            string current = variable;
            for (int layer = 1; layer <= 4; layer++)
            {
                var (rhs, position) = rhsOf[current];
                targets.Add(new AttentionTarget(layer, 0, answerPosition, position));
                if (rhsOf.ContainsKey(rhs)) current = rhs;
            }
        }
        return targets;
    }

    /// <summary>Values of every variable in a program of <c>v = digit</c> / <c>v = w</c> lines.</summary>
    public static Dictionary<string, int> Evaluate(string body)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(" = ");
            values[parts[0]] = int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int d) ? d : values[parts[1]];
        }
        return values;
    }
}
