using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>Two programs that share every line but the one at <see cref="DivergenceIndex"/> (0-based, after the header).</summary>
/// <param name="ProgramA">The first program.</param>
/// <param name="ProgramB">Its twin.</param>
/// <param name="IntermediatesA">x after each step of A (ints; 0/1 for the boolean pair), without the initial state.</param>
/// <param name="IntermediatesB">The same for B.</param>
/// <param name="DivergenceIndex">The step at which B differs; at or beyond the length, the programs are identical.</param>
public sealed record PythonProgramPair(
    string ProgramA, string ProgramB, IReadOnlyList<long> IntermediatesA, IReadOnlyList<long> IntermediatesB, int DivergenceIndex);

/// <summary>
/// The framework's three counterfactual-pair generators, draw for draw. Unlike the framework, an rng is required:
/// its default (<c>rng=None</c>) is an OS-entropy <c>RandomState()</c>, which no run can reproduce.
/// </summary>
public static class PythonCounterfactualPairs
{
    private static readonly string[] ArithmeticOps = ["add", "sub", "div", "mod", "abs"];
    private static readonly string[] EntityOps = ["add", "sub"];
    private static readonly string[] BooleanOps = ["and", "or", "not"];
    private static readonly bool[] Booleans = [true, false];

    /// <summary>
    /// <c>generators.make_counterfactual_pair</c>: <c>x = 0</c> then per step <c>op = choice(add, sub, div, mod,
    /// abs)</c> and <c>v = randint(1, 10)</c>, written <c>x += v</c>, <c>x -= v</c>, <c>x //= v</c>, <c>x %= v</c>,
    /// <c>x = abs(x - v)</c>, with Python's floor semantics.
    /// </summary>
    /// <remarks>
    /// At step k the state is copied twice: A takes the next pair from one copy, B draws pairs from the other until one
    /// differs from A's (op or v), and the suffix continues from A's copy. The framework rebinds its local rng to that
    /// copy, so <paramref name="rng"/> itself stops after the prefix, as here.
    /// </remarks>
    /// <param name="seqLen">Number of steps, at least 1.</param>
    /// <param name="divergenceIndex">k, at least 0; k ≥ <paramref name="seqLen"/> gives identical programs.</param>
    /// <param name="rng">The framework's random state.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static PythonProgramPair Arithmetic(int seqLen, int divergenceIndex, NumpyRandomState rng)
    {
        Check(seqLen, divergenceIndex, rng);
        var a = new List<string> { "x = 0" };
        var b = new List<string> { "x = 0" };
        var ia = new List<long>();
        var ib = new List<long>();
        long xa = 0, xb = 0;
        for (int i = 0; i < seqLen; i++)
        {
            if (i < divergenceIndex)
            {
                var (op, v) = DrawArithmetic(rng);
                a.Add(ArithmeticLine(op, v));
                b.Add(ArithmeticLine(op, v));
                xa = ApplyArithmetic(op, xa, v);
                xb = xa;
            }
            else if (i == divergenceIndex)
            {
                var state = rng.GetState();
                var rngA = NumpyRandomState.FromState(state);
                var (opA, vA) = DrawArithmetic(rngA);
                a.Add(ArithmeticLine(opA, vA));
                xa = ApplyArithmetic(opA, xa, vA);

                var rngB = NumpyRandomState.FromState(state);
                var (opB, vB) = (opA, vA);
                while (opB == opA && vB == vA)
                {
                    (opB, vB) = DrawArithmetic(rngB);
                }
                b.Add(ArithmeticLine(opB, vB));
                xb = ApplyArithmetic(opB, xb, vB);
                rng = rngA;
            }
            else
            {
                var (op, v) = DrawArithmetic(rng);
                a.Add(ArithmeticLine(op, v));
                b.Add(ArithmeticLine(op, v));
                xa = ApplyArithmetic(op, xa, v);
                xb = ApplyArithmetic(op, xb, v);
            }
            ia.Add(xa);
            ib.Add(xb);
        }
        return new PythonProgramPair(string.Join("\n", a), string.Join("\n", b), ia, ib, divergenceIndex);
    }

    /// <summary>
    /// <c>make_counterfactual_pair</c> of <c>experiments/_02_opensource_entity_tracking.py</c>: ops add and sub only,
    /// <c>v = randint(1, 5)</c>. At step k, A draws from <paramref name="rng"/> (which then runs on through the
    /// suffix) and B redraws from a copy of the state before A's draw until its line text differs from A's.
    /// </summary>
    /// <param name="seqLen">Number of steps, at least 1.</param>
    /// <param name="divergenceIndex">k, at least 0.</param>
    /// <param name="rng">The framework's random state.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static PythonProgramPair EntityTracking(int seqLen, int divergenceIndex, NumpyRandomState rng)
    {
        Check(seqLen, divergenceIndex, rng);
        var a = new List<string> { "x = 0" };
        var b = new List<string> { "x = 0" };
        var ia = new List<long>();
        var ib = new List<long>();
        long xa = 0, xb = 0;
        for (int i = 0; i < seqLen; i++)
        {
            if (i < divergenceIndex)
            {
                var (op, v) = DrawEntity(rng);
                a.Add(ArithmeticLine(op, v));
                b.Add(ArithmeticLine(op, v));
                xa = ApplyArithmetic(op, xa, v);
                xb = xa;
            }
            else if (i == divergenceIndex)
            {
                var state = rng.GetState();
                var (opA, vA) = DrawEntity(rng);
                string lineA = ArithmeticLine(opA, vA);
                a.Add(lineA);
                xa = ApplyArithmetic(opA, xa, vA);

                var rngB = NumpyRandomState.FromState(state);
                string lineB = lineA;
                string opB = opA;
                long vB = vA;
                while (lineB == lineA)
                {
                    (opB, vB) = DrawEntity(rngB);
                    lineB = ArithmeticLine(opB, vB);
                }
                b.Add(lineB);
                xb = ApplyArithmetic(opB, xb, vB);
            }
            else
            {
                var (op, v) = DrawEntity(rng);
                a.Add(ArithmeticLine(op, v));
                b.Add(ArithmeticLine(op, v));
                xa = ApplyArithmetic(op, xa, v);
                xb = ApplyArithmetic(op, xb, v);
            }
            ia.Add(xa);
            ib.Add(xb);
        }
        return new PythonProgramPair(string.Join("\n", a), string.Join("\n", b), ia, ib, divergenceIndex);
    }

    /// <summary>
    /// <c>make_counterfactual_pair_boolean</c> of <c>experiments/_04_boolean_experiment.py</c>: <c>x</c> and
    /// <c>y</c> from <c>choice([True, False])</c>, then per step <c>choice(and, or, not)</c>. At step k, A's op comes
    /// from <paramref name="rng"/>, then <c>seed_b = randint(0, 2**32 - 1)</c>, and B's op is drawn from
    /// <c>RandomState(seed_b)</c> until its line text differs from A's; the suffix continues on
    /// <paramref name="rng"/>. Intermediates are x as 0/1.
    /// </summary>
    /// <param name="seqLen">Number of steps, at least 1.</param>
    /// <param name="divergenceIndex">k, at least 0.</param>
    /// <param name="rng">The framework's random state.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static PythonProgramPair Boolean(int seqLen, int divergenceIndex, NumpyRandomState rng)
    {
        Check(seqLen, divergenceIndex, rng);
        bool x0 = rng.Choice(Booleans);
        bool y = rng.Choice(Booleans);
        var a = new List<string> { $"x = {Py(x0)}", $"y = {Py(y)}" };
        var b = new List<string>(a);
        var ia = new List<long>();
        var ib = new List<long>();
        bool xa = x0, xb = x0;
        for (int i = 0; i < seqLen; i++)
        {
            if (i < divergenceIndex)
            {
                string op = rng.Choice(BooleanOps);
                a.Add(PythonBooleanProgramGenerator.BooleanLine(op));
                b.Add(PythonBooleanProgramGenerator.BooleanLine(op));
                xa = PythonBooleanProgramGenerator.Apply(op, xa, y);
                xb = xa;
            }
            else if (i == divergenceIndex)
            {
                string opA = rng.Choice(BooleanOps);
                string lineA = PythonBooleanProgramGenerator.BooleanLine(opA);
                a.Add(lineA);
                xa = PythonBooleanProgramGenerator.Apply(opA, xa, y);

                var rngB = new NumpyRandomState(rng.RandInt(0, (1L << 32) - 1));
                string opB;
                do
                {
                    opB = rngB.Choice(BooleanOps);
                }
                while (PythonBooleanProgramGenerator.BooleanLine(opB) == lineA);
                b.Add(PythonBooleanProgramGenerator.BooleanLine(opB));
                xb = PythonBooleanProgramGenerator.Apply(opB, xb, y);
            }
            else
            {
                string op = rng.Choice(BooleanOps);
                a.Add(PythonBooleanProgramGenerator.BooleanLine(op));
                b.Add(PythonBooleanProgramGenerator.BooleanLine(op));
                xa = PythonBooleanProgramGenerator.Apply(op, xa, y);
                xb = PythonBooleanProgramGenerator.Apply(op, xb, y);
            }
            ia.Add(xa ? 1 : 0);
            ib.Add(xb ? 1 : 0);
        }
        return new PythonProgramPair(string.Join("\n", a), string.Join("\n", b), ia, ib, divergenceIndex);
    }

    private static void Check(int seqLen, int divergenceIndex, NumpyRandomState rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(seqLen, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(divergenceIndex);
    }

    private static (string Op, long V) DrawArithmetic(NumpyRandomState rng)
    {
        string op = rng.Choice(ArithmeticOps);
        return (op, rng.RandInt(1, 10));
    }

    private static (string Op, long V) DrawEntity(NumpyRandomState rng)
    {
        string op = rng.Choice(EntityOps);
        return (op, rng.RandInt(1, 5));
    }

    private static string ArithmeticLine(string op, long v) => op switch
    {
        "add" => $"x += {Py(v)}",
        "sub" => $"x -= {Py(v)}",
        "div" => $"x //= {Py(v)}",
        "mod" => $"x %= {Py(v)}",
        _ => $"x = abs(x - {Py(v)})",
    };

    private static long ApplyArithmetic(string op, long x, long v) => op switch
    {
        "add" => x + v,
        "sub" => x - v,
        "div" => PythonMath.FloorDiv(x, v),
        "mod" => PythonMath.FloorMod(x, v),
        _ => Math.Abs(x - v),
    };
}
