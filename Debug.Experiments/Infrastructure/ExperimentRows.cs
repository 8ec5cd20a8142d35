using System.Globalization;
using Xunit;

namespace Debug.Experiments.Infrastructure;

/// <summary>
/// Theory rows of the experiments as xunit v3 <see cref="TheoryDataRow"/>s: each reads
/// <c>VariableBinding(model: tiny, seqLen: 5, hops: 2)</c> (no namespace, no quotes) and carries a <c>Model</c> trait
/// from its model, so <c>--filter Model=tiny</c> selects a model.
/// </summary>
public static class ExperimentRows
{
    /// <summary>The display name <c>theory(name: value, ...)</c> of a row.</summary>
    public static string DisplayName(string theory, params (string Name, object Value)[] arguments) =>
        $"{theory}({string.Join(", ", arguments.Select(a => $"{a.Name}: {Convert.ToString(a.Value, CultureInfo.InvariantCulture)}"))})";

    // A data row's display name is its name plus the argument list unless the row's label is empty (xunit v3.0+);
    // ours already lists the arguments, without quotes.
    private static T Named<T>(this T row, string displayName) where T : TheoryDataRowBase
    {
        row.TestDisplayName = displayName;
        row.Label = "";
        return row;
    }

    /// <summary>A (model) row of <paramref name="theory"/>.</summary>
    public static TheoryDataRow<string> Row(string theory, string model) =>
        new TheoryDataRow<string>(model)
            .Named(DisplayName(theory, ("model", model)))
            .WithTrait("Model", model);

    /// <summary>A (model, seqLen) row of <paramref name="theory"/>.</summary>
    public static TheoryDataRow<string, int> Row(string theory, string model, int seqLen) =>
        new TheoryDataRow<string, int>(model, seqLen)
            .Named(DisplayName(theory, ("model", model), ("seqLen", seqLen)))
            .WithTrait("Model", model);

    /// <summary>A (model, seqLen, hops) row of <paramref name="theory"/>.</summary>
    public static TheoryDataRow<string, int, int> Row(string theory, string model, int seqLen, int hops) =>
        new TheoryDataRow<string, int, int>(model, seqLen, hops)
            .Named(DisplayName(theory, ("model", model), ("seqLen", seqLen), ("hops", hops)))
            .WithTrait("Model", model);

    /// <summary>A tracing (model, hops, lines, seedRank) row of <paramref name="theory"/>.</summary>
    public static TheoryDataRow<string, int, int, int> TracingRow(string theory, string model, int hops, int lines, int seedRank) =>
        new TheoryDataRow<string, int, int, int>(model, hops, lines, seedRank)
            .Named(DisplayName(theory, ("model", model), ("hops", hops), ("lines", lines), ("seedRank", seedRank)))
            .WithTrait("Model", model);
}
