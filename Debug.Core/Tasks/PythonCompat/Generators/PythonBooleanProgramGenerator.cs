using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>
/// <c>make_boolean_program</c> of <c>experiments/_04_boolean_simple.py</c>: <c>x = choice([True, False])</c>,
/// <c>y</c> the same, then per line <c>choice(["and", "or", "not"])</c>: <c>x = x and y</c>, <c>x = x or y</c> or
/// <c>x = not x</c>. Answer: x, as Python prints it.
/// </summary>
public sealed class PythonBooleanProgramGenerator : RandomStateTaskGenerator
{
    private static readonly bool[] Booleans = [true, false];
    private static readonly string[] Operators = ["and", "or", "not"];

    /// <inheritdoc />
    public override string Name => "_04_boolean_simple.make_boolean_program";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        bool x = rng.Choice(Booleans);
        bool y = rng.Choice(Booleans);
        var lines = new List<string> { $"x = {Py(x)}", $"y = {Py(y)}" };
        for (int i = 0; i < seqLen; i++)
        {
            string op = rng.Choice(Operators);
            lines.Add(BooleanLine(op));
            x = Apply(op, x, y);
        }
        return new TaskCase(string.Join("\n", lines), Py(x), new PythonTaskMetadata("x", Name));
    }

    internal static string BooleanLine(string op) => op == "not" ? "x = not x" : $"x = x {op} y";

    internal static bool Apply(string op, bool x, bool y) => op switch
    {
        "not" => !x,
        "and" => x && y,
        _ => x || y,
    };
}
