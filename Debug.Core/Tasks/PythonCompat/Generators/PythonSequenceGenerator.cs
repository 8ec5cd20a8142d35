using static Debug.Core.Tasks.GeneratorGuard;

namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>
/// The framework's <c>make_sequence</c>: all n signs first (<c>randint(0, 2, size=n)</c>, 1 is <c>+</c>), then all
/// n numbers (<c>randint(0, 10, size=n)</c>); <c>x = 0</c> then <c>x += k</c> / <c>x -= k</c>.
/// </summary>
/// <remarks>
/// The framework returns the list of intermediates as the answer, which an integer prediction never equals, so every
/// case of its runner is scored wrong. Debug's answer is the final x; the list is in
/// <see cref="PythonSequenceMetadata.Intermediates"/>.
/// </remarks>
public sealed class PythonSequenceGenerator : RandomStateTaskGenerator
{
    /// <inheritdoc />
    public override string Name => "make_sequence";

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        long[] signs = rng.RandInt(0, 2, seqLen);
        long[] numbers = rng.RandInt(0, 10, seqLen);
        var lines = new List<string> { "x = 0" };
        var intermediates = new List<long> { 0 };
        long x = 0;
        for (int i = 0; i < seqLen; i++)
        {
            bool plus = signs[i] != 0;
            lines.Add($"x {(plus ? '+' : '-')}= {Py(numbers[i])}");
            x += plus ? numbers[i] : -numbers[i];
            intermediates.Add(x);
        }
        return new TaskCase(string.Join("\n", lines), Py(x), new PythonSequenceMetadata("x", intermediates));
    }
}
