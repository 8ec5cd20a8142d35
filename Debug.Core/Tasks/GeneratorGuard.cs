using System.Globalization;

namespace Debug.Core.Tasks;

/// <summary>Argument checks and formatting every generator shares, so they fail and print identically.</summary>
internal static class GeneratorGuard
{
    /// <summary>Throws unless 1 &lt;= seqLen &lt;= max, naming the <c>seqLen</c> parameter.</summary>
    public static void SeqLen(int seqLen, int max, string generatorName)
    {
        if (seqLen < 1 || seqLen > max)
        {
            throw new ArgumentOutOfRangeException(nameof(seqLen), seqLen,
                $"{generatorName}: seqLen must be in 1..{max}.");
        }
    }

    /// <summary>Python's <c>str(int)</c>: invariant culture, '-' sign, no grouping.</summary>
    public static string Py(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Python's <c>str(bool)</c>.</summary>
    public static string Py(bool value) => value ? "True" : "False";

    /// <summary>Python's floor division (rounds toward negative infinity, unlike C#'s truncation).</summary>
    public static long FloorDiv(long a, long b) => PythonCompat.PythonMath.FloorDiv(a, b);

    /// <summary>Python's modulo (result takes the divisor's sign, unlike C#'s remainder).</summary>
    public static long FloorMod(long a, long b) => PythonCompat.PythonMath.FloorMod(a, b);
}
