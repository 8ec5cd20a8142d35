namespace Debug.Core.Tasks.PythonCompat;

/// <summary>Python's integer division and modulo, which floor where C#'s truncate.</summary>
public static class PythonMath
{
    /// <summary>Python's <c>a // b</c>: rounds toward negative infinity (C#'s <c>/</c> rounds toward zero).</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor, not zero.</param>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is zero.</exception>
    public static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    /// <summary>Python's <c>a % b</c>: the result takes the divisor's sign (C#'s <c>%</c> takes the dividend's).</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor, not zero.</param>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is zero.</exception>
    public static long FloorMod(long a, long b)
    {
        long r = a % b;
        return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
    }
}
