using System.Globalization;

namespace Debug.Core.Tests.Interpreter;

/// <summary>A Python exception raised by the interpreted program (ZeroDivisionError, NameError, ...).</summary>
internal sealed class PyRaised(string typeName, string message) : Exception($"{typeName}: {message}")
{
    public string TypeName { get; } = typeName;
}

/// <summary>
/// Executes programs of the generators' Python subset with Python semantics: integers are exact (overflow is an
/// error rather than wrapping), <c>//</c> and <c>%</c> round toward negative infinity, bool is an int subtype,
/// <c>and</c>/<c>or</c> short-circuit and return an operand. It also tracks each variable's referential depth
/// (literal = 1, copy of a depth-n name = n + 1) for the binding tests.
/// </summary>
internal sealed class PyInterpreter
{
    private readonly Dictionary<string, object> _variables = new();
    private readonly Dictionary<string, int> _depths = new();

    public IReadOnlyDictionary<string, object> Variables => _variables;

    /// <summary>Referential depth of variables last bound by <c>name = literal</c> or <c>name = name</c>.</summary>
    public IReadOnlyDictionary<string, int> Depths => _depths;

    public static PyInterpreter Run(string source)
    {
        var interpreter = new PyInterpreter();
        interpreter.Execute(PyParser.Parse(source));
        return interpreter;
    }

    /// <summary>Python's <c>str()</c> of a variable's value.</summary>
    public string Str(string name) => _variables.TryGetValue(name, out var v)
        ? Format(v)
        : throw new PyRaised("NameError", $"name '{name}' is not defined");

    public static string Format(object value) => value switch
    {
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Unexpected value {value}."),
    };

    private void Execute(IReadOnlyList<Stmt> block)
    {
        foreach (var stmt in block)
        {
            Execute(stmt);
        }
    }

    private void Execute(Stmt stmt)
    {
        switch (stmt)
        {
            case Pass:
                break;
            case Assign a:
            {
                // Evaluate every right side before binding any name: that is what makes a, b = b, a + b work.
                var values = a.Values.Select(Evaluate).ToList();
                var depths = a.Values.Select(DepthOf).ToList();
                for (int i = 0; i < a.Targets.Count; i++)
                {
                    _variables[a.Targets[i]] = values[i];
                    _depths[a.Targets[i]] = depths[i];
                }
                break;
            }
            case AugAssign aug:
            {
                object current = Lookup(aug.Target);
                _variables[aug.Target] = Arithmetic(aug.Op, current, Evaluate(aug.Value));
                _depths[aug.Target] = 0;
                break;
            }
            case ForRange loop:
            {
                var args = loop.RangeArgs.Select(e => AsInt(Evaluate(e))).ToArray();
                (long start, long stop, long step) = args.Length switch
                {
                    1 => (0L, args[0], 1L),
                    2 => (args[0], args[1], 1L),
                    3 => (args[0], args[1], args[2]),
                    _ => throw new PyRaised("TypeError", "range expected 1 to 3 arguments"),
                };
                if (step == 0) throw new PyRaised("ValueError", "range() arg 3 must not be zero");
                for (long i = start; step > 0 ? i < stop : i > stop; i += step)
                {
                    _variables[loop.Variable] = i;
                    _depths[loop.Variable] = 0;
                    Execute(loop.Body);
                }
                break;
            }
            case If branch:
                Execute(Truthy(Evaluate(branch.Condition)) ? branch.Body : branch.Else);
                break;
            case TryExcept guarded:
                try
                {
                    Execute(guarded.Body);
                }
                catch (PyRaised raised) when (raised.TypeName == guarded.ExceptionName)
                {
                    Execute(guarded.Handler);
                }
                break;
            default:
                throw new InvalidOperationException($"Unknown statement {stmt}.");
        }
    }

    private int DepthOf(Expr value) => value switch
    {
        IntLiteral => 1,
        NameRef name when _depths.TryGetValue(name.Name, out int d) && d > 0 => d + 1,
        _ => 0, // computed values have no binding chain
    };

    private object Lookup(string name) =>
        _variables.TryGetValue(name, out var v) ? v : throw new PyRaised("NameError", $"name '{name}' is not defined");

    private object Evaluate(Expr expr)
    {
        switch (expr)
        {
            case IntLiteral i: return i.Value;
            case BoolLiteral b: return b.Value;
            case NameRef n: return Lookup(n.Name);
            case Unary { Op: "not" } u: return !Truthy(Evaluate(u.Operand));
            case Unary { Op: "-" } u: return checked(-AsInt(Evaluate(u.Operand)));
            case Binary { Op: "and" } b:
            {
                object left = Evaluate(b.Left);
                return Truthy(left) ? Evaluate(b.Right) : left;
            }
            case Binary { Op: "or" } b:
            {
                object left = Evaluate(b.Left);
                return Truthy(left) ? left : Evaluate(b.Right);
            }
            case Binary b when b.Op is "==" or "!=" or "<" or ">" or "<=" or ">=":
            {
                long l = AsInt(Evaluate(b.Left)), r = AsInt(Evaluate(b.Right));
                return b.Op switch
                {
                    "==" => l == r, "!=" => l != r, "<" => l < r, ">" => l > r, "<=" => l <= r, _ => l >= r,
                };
            }
            case Binary b: return Arithmetic(b.Op, Evaluate(b.Left), Evaluate(b.Right));
            case Call { Function: "abs", Args.Count: 1 } c: return Math.Abs(AsInt(Evaluate(c.Args[0])));
            case Call c: throw new PyRaised("NameError", $"name '{c.Function}' is not defined");
            default: throw new InvalidOperationException($"Unknown expression {expr}.");
        }
    }

    private static object Arithmetic(string op, object leftValue, object rightValue)
    {
        long a = AsInt(leftValue), b = AsInt(rightValue);
        checked
        {
            switch (op)
            {
                case "+": return a + b;
                case "-": return a - b;
                case "*": return a * b;
                case "//":
                {
                    if (b == 0) throw new PyRaised("ZeroDivisionError", "integer division or modulo by zero");
                    long q = a / b;
                    // C# truncates toward zero; Python floors, which differs when the signs differ and it is inexact.
                    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
                }
                case "%":
                {
                    if (b == 0) throw new PyRaised("ZeroDivisionError", "integer modulo by zero");
                    // Shift C#'s remainder (sign of a) into the divisor's sign, as Python defines it.
                    return ((a % b) + b) % b;
                }
                default: throw new InvalidOperationException($"Unknown operator {op}.");
            }
        }
    }

    private static long AsInt(object value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new PyRaised("TypeError", $"unsupported operand {value}"),
    };

    private static bool Truthy(object value) => value switch
    {
        bool b => b,
        long l => l != 0,
        _ => throw new InvalidOperationException($"Unexpected value {value}."),
    };
}
