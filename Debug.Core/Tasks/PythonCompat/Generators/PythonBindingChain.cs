using System.Text.RegularExpressions;

namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>
/// The framework's <c>TokenAnalyzer.identify_variable_chain</c>: assignments are read with its regex, the last
/// assignment of a name anywhere in the text wins (line order is ignored), and the chain is followed from the query
/// until a literal, an undefined name or a cycle.
/// </summary>
/// <param name="Links">The links from the query to the last variable reached.</param>
/// <param name="RootValue">The literal the chain ends at, or null (undefined name or cycle).</param>
/// <param name="IsCircular">Whether the chain came back to a variable already on it.</param>
public sealed partial record PythonBindingChain(IReadOnlyList<PythonBindingLink> Links, string? RootValue, bool IsCircular)
{
    /// <summary>The chain of <paramref name="queryVariable"/> in <paramref name="program"/>.</summary>
    /// <param name="program">Program text.</param>
    /// <param name="queryVariable">The variable to follow.</param>
    public static PythonBindingChain Identify(string program, string queryVariable)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(queryVariable);
        var assignments = ParseAssignments(program);
        var links = new List<PythonBindingLink>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        string current = queryVariable;
        while (assignments.TryGetValue(current, out string? refersTo))
        {
            if (!visited.Add(current))
            {
                return new PythonBindingChain(links, null, true);
            }
            links.Add(new PythonBindingLink(current, refersTo));
            if (IsLiteral(refersTo))
            {
                return new PythonBindingChain(links, refersTo, false);
            }
            current = refersTo;
        }
        return new PythonBindingChain(links, null, false);
    }

    /// <summary>The framework's <c>_parse_assignments</c>: name → stripped right-hand side, comments dropped, last wins.</summary>
    /// <param name="program">Program text.</param>
    public static IReadOnlyDictionary<string, string> ParseAssignments(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var assignments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in program.Split('\n'))
        {
            var match = AssignmentLine().Match(line);
            if (match.Success)
            {
                assignments[match.Groups[1].Value] = match.Groups[2].Value.Trim();
            }
        }
        return assignments;
    }

    /// <summary>
    /// The framework's <c>_is_literal</c> (<c>int(value)</c> succeeds), for ASCII text: an optional sign, digits, and
    /// single underscores between digits.
    /// </summary>
    /// <param name="value">A right-hand side.</param>
    public static bool IsLiteral(string value) => IntLiteral().IsMatch(value.Trim());

    // ^\s*([a-zA-Z_]\w*)\s*=(?!=)\s*(.*?)(\s*#.*)?$ with Python's non-multiline '$' (end, or before a final \n).
    [GeneratedRegex(@"^\s*([a-zA-Z_]\w*)\s*=(?!=)\s*(.*?)(\s*#.*)?(?=\n?\z)", RegexOptions.CultureInvariant)]
    private static partial Regex AssignmentLine();

    [GeneratedRegex(@"^[+-]?[0-9](_?[0-9])*\z", RegexOptions.CultureInvariant)]
    private static partial Regex IntLiteral();
}
