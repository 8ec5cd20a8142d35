using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks;

/// <summary>The in-place updates counterfactual programs are built from.</summary>
public enum UpdateOp
{
    /// <summary><c>x += v</c></summary>
    Add,
    /// <summary><c>x -= v</c></summary>
    Subtract,
    /// <summary><c>x //= v</c> (floor division)</summary>
    FloorDivide,
    /// <summary><c>x %= v</c> (Python modulo: result has the divisor's sign)</summary>
    Modulo,
    /// <summary><c>x = abs(x - v)</c></summary>
    AbsDifference,
}

/// <summary>One update line of a counterfactual program: an operation and a positive operand.</summary>
/// <param name="Op">The operation.</param>
/// <param name="Operand">The right-hand value, 1..9 (never 0, so no step can raise).</param>
public readonly record struct UpdateStep(UpdateOp Op, int Operand)
{
    /// <summary>The Python source line for this step applied to <paramref name="variable"/> (no newline).</summary>
    /// <param name="variable">Name of the updated variable.</param>
    public string ToPython(string variable) => Op switch
    {
        UpdateOp.Add => $"{variable} += {Operand}",
        UpdateOp.Subtract => $"{variable} -= {Operand}",
        UpdateOp.FloorDivide => $"{variable} //= {Operand}",
        UpdateOp.Modulo => $"{variable} %= {Operand}",
        UpdateOp.AbsDifference => $"{variable} = abs({variable} - {Operand})",
        _ => throw new ArgumentOutOfRangeException(nameof(Op), Op, "Unknown update operation."),
    };

    /// <summary>The value after applying this step to <paramref name="value"/> with Python semantics.</summary>
    /// <param name="value">The value before the step.</param>
    public long Apply(long value) => Op switch
    {
        UpdateOp.Add => value + Operand,
        UpdateOp.Subtract => value - Operand,
        UpdateOp.FloorDivide => FloorDiv(value, Operand),
        UpdateOp.Modulo => FloorMod(value, Operand),
        UpdateOp.AbsDifference => Math.Abs(value - Operand),
        _ => throw new ArgumentOutOfRangeException(nameof(Op), Op, "Unknown update operation."),
    };

    /// <summary>Draws a uniformly random operation and an operand in 1..9.</summary>
    /// <param name="rng">Randomness source.</param>
    public static UpdateStep Random(DeterministicRng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var op = (UpdateOp)rng.NextInt(5);
        return new UpdateStep(op, rng.NextInt(1, 10));
    }
}
