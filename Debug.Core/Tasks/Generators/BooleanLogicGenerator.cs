using System.Text;
using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.Generators;

/// <summary>Facts about a <see cref="BooleanLogicGenerator"/> program.</summary>
/// <param name="QueryVariable"><c>x</c> or <c>y</c>.</param>
/// <param name="InitialX">Starting value of x.</param>
/// <param name="InitialY">Starting value of y.</param>
/// <param name="XValues">x after each step.</param>
/// <param name="YValues">y after each step.</param>
public sealed record BooleanLogicMetadata(
    string QueryVariable, bool InitialX, bool InitialY, IReadOnlyList<bool> XValues, IReadOnlyList<bool> YValues)
    : TaskMetadata(QueryVariable);

/// <summary>
/// Boolean state tracking: <c>x</c> and <c>y</c> start as True/False, then each step reassigns one of them from an
/// <c>and</c>/<c>or</c>/<c>not</c> expression over both (e.g. <c>y = not x or y</c>). The answer is <c>True</c> or
/// <c>False</c>. <c>seqLen</c> = the number of update steps after the two initial assignments.
/// </summary>
public sealed class BooleanLogicGenerator : ITaskGenerator
{
    // Expression shapes over operands p and q; `not` binds tighter than `and`, which binds tighter than `or`.
    private static readonly (string Format, Func<bool, bool, bool> Eval)[] Shapes =
    [
        ("{0} and {1}", (p, q) => p && q),
        ("{0} or {1}", (p, q) => p || q),
        ("not {0}", (p, _) => !p),
        ("{0} and not {1}", (p, q) => p && !q),
        ("not {0} or {1}", (p, q) => !p || q),
    ];

    /// <inheritdoc />
    public string Name => "boolean_logic";

    /// <inheritdoc />
    public int MaxSeqLen => 100;

    /// <inheritdoc />
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        bool x = rng.NextBool(), y = rng.NextBool();
        bool initialX = x, initialY = y;
        var text = new StringBuilder($"x = {Py(x)}\ny = {Py(y)}\n");
        var xs = new bool[seqLen];
        var ys = new bool[seqLen];
        string lastTarget = "x";
        for (int i = 0; i < seqLen; i++)
        {
            string target = rng.NextBool() ? "x" : "y";
            string p = rng.NextBool() ? "x" : "y";
            string q = p == "x" ? "y" : "x";
            var shape = Shapes[rng.NextInt(Shapes.Length)];
            bool value = shape.Eval(p == "x" ? x : y, q == "x" ? x : y);
            text.Append($"{target} = {string.Format(System.Globalization.CultureInfo.InvariantCulture, shape.Format, p, q)}\n");
            if (target == "x") { x = value; } else { y = value; }
            xs[i] = x;
            ys[i] = y;
            lastTarget = target;
        }
        // Query the variable written last half of the time, otherwise the other one, so recency alone does not answer.
        string query = rng.NextBool() ? lastTarget : (lastTarget == "x" ? "y" : "x");
        return new TaskCase(text.ToString(), Py(query == "x" ? x : y),
            new BooleanLogicMetadata(query, initialX, initialY, xs, ys));
    }
}
