using System.Globalization;

namespace Debug.Core.Reports;

/// <summary>Percentages as <c>87.5%</c> in every culture (the invariant "P" format writes <c>87.5 %</c>).</summary>
public static class Percent
{
    /// <summary>Formats a proportion with one decimal.</summary>
    public static string Format(double proportion) =>
        (proportion * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
