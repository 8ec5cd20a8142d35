using System.Globalization;

namespace Debug.Core.Interventions;

/// <summary>Where a patch sweep stands, reported after each batched forward.</summary>
/// <param name="Computed">Cells computed so far.</param>
/// <param name="ToCompute">Cells the sweep computes (at or after the first differing token).</param>
/// <param name="Unchanged">Cells before the first differing token, known to be unchanged without computing them.</param>
/// <param name="Elapsed">Time since the sweep's resumed forwards began (after the clean and counterfactual runs).</param>
public sealed record SweepProgress(int Computed, int ToCompute, int Unchanged, TimeSpan Elapsed)
{
    /// <summary>Cells computed per second.</summary>
    public double CellsPerSecond => Computed / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>E.g. <c>sweep: 120/812 cells computed (28 unchanged), 14.2 s, 8.5 cells/s</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"sweep: {Computed}/{ToCompute} cells computed ({Unchanged} unchanged), {Elapsed.TotalSeconds:F1} s, {CellsPerSecond:F1} cells/s");
}
