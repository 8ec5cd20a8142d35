using Xunit;

namespace Debug.Core.Tests.Model;

/// <summary>
/// Theory rows displayed as <c>Method(argument)</c>, e.g. <c>Conformance(qwen3: single.logits)</c>, instead of xunit's
/// <c>Namespace.Class.Method(name: "argument")</c> (xunit v3 <see cref="TheoryDataRow"/> display names).
/// </summary>
internal static class NamedRows
{
    /// <summary>One row of <paramref name="theory"/> per argument.</summary>
    public static IEnumerable<TheoryDataRow<string>> Of(string theory, IEnumerable<string> arguments) =>
        arguments.Select(a => new TheoryDataRow<string>(a) { TestDisplayName = $"{theory}({a})", Label = "" });

    // An empty label keeps xunit from appending the argument list to the display name (xunit v3.0+).
}
