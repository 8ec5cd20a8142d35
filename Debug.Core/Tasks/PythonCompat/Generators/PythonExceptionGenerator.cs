using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>
/// The framework's <c>make_exception_program</c>: <c>result = 0</c>, then <c>seqLen</c> blocks
/// <c>try:\n    result += n // d\nexcept ZeroDivisionError:\n    result += fb</c>. Answer: the sum of
/// <c>n // d</c>, or of <c>fb</c> where d is 0.
/// </summary>
/// <remarks>
/// Draws: every numerator first (<c>randint(1, 21)</c>), then per numerator one <c>rand()</c>; below 0.3 the
/// denominator is 0, otherwise a <c>choice</c> among n's divisors in 1..10 (no draw when 1 is the only one); a fallback
/// <c>randint(-5, 0)</c> follows in both cases, even when it is unused.
/// </remarks>
public sealed class PythonExceptionGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "make_exception_program";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long[] numerators = [.. Enumerable.Range(0, seqLen).Select(_ => rng.RandInt(1, 21))];
        var lines = new List<string> { "result = 0" };
        long total = 0;
        foreach (long n in numerators)
        {
            long d;
            if (rng.Random() < 0.3)
            {
                d = 0;
            }
            else
            {
                long[] factors = [.. Enumerable.Range(1, 10).Select(f => (long)f).Where(f => n % f == 0)];
                // 1 always divides n, so the framework's "no factors" branch never runs.
                d = rng.Choice(factors);
            }
            long fallback = rng.RandInt(-5, 0);
            lines.Add("try:");
            lines.Add($"    result += {Py(n)} // {Py(d)}");
            lines.Add("except ZeroDivisionError:");
            lines.Add($"    result += {Py(fallback)}");
            total += d == 0 ? fallback : PythonMath.FloorDiv(n, d);
        }
        return new TaskCase(string.Join("\n", lines), Py(total), new PythonTaskMetadata("result", Name));
    }
}
