using System.Globalization;
using System.Text.RegularExpressions;

namespace Debug.Core.Tasks;

/// <summary>
/// Traces the query of a variable-binding program (generated or hand-written) back to its literal and reports the
/// chain with character spans.
/// </summary>
/// <remarks>
/// Accepted programs: lines of <c>name = integer</c> or <c>name = name</c> (optional trailing <c># comment</c>),
/// blank lines and comment lines, and a final line <c>#q: </c> naming the query. Names follow Python's
/// semantics: a reference binds to the most recent assignment of that name on an earlier line, so reassignment
/// is allowed. When no earlier assignment exists the error says whether the names form a cycle
/// (<see cref="BindingChainError.Circular"/>, judged by each name's last assignment anywhere) or simply lack a
/// binding (<see cref="BindingChainError.NoRoot"/>).
/// </remarks>
public static partial class BindingChainResolver
{
    [GeneratedRegex(@"^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(?:([0-9]+)|([A-Za-z_][A-Za-z0-9_]*))[ \t\r]*(?:#.*)?$")]
    private static partial Regex AssignmentLine();

    [GeneratedRegex(@"^#[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*:[ \t\r]*$")]
    private static partial Regex QueryLine();

    private sealed record Assignment(string Target, int LineIndex, string Rhs, bool RhsIsLiteral, CharSpan RhsSpan);

    /// <summary>Resolves the chain of the variable named in the program's final <c>#q: </c> line.</summary>
    /// <param name="program">The program text.</param>
    /// <returns>The chain, root value, depth and spans.</returns>
    /// <exception cref="BindingChainException">The program is malformed, lacks a query, or its chain has no root or is circular.</exception>
    public static VariableBindingMetadata Resolve(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Length == 0)
        {
            throw new BindingChainException(BindingChainError.MissingQuery, -1, "The program is empty.");
        }
        var assignments = new List<Assignment>();
        int lineStart = 0;
        int lineIndex = 0;
        while (true)
        {
            int newline = program.IndexOf('\n', lineStart);
            if (newline < 0)
            {
                break; // the final line must be the query
            }
            ParseLine(program, lineStart, newline, lineIndex, assignments);
            lineStart = newline + 1;
            lineIndex++;
        }

        var query = QueryLine().Match(program, lineStart, program.Length - lineStart);
        if (!query.Success)
        {
            throw new BindingChainException(BindingChainError.MissingQuery, lineIndex,
                $"The last line (line {lineIndex}) must be a query such as \"#a: \".");
        }
        string queryVariable = query.Groups[1].Value;
        var querySpan = new CharSpan(query.Groups[1].Index, query.Groups[1].Index + query.Groups[1].Length);
        var lastCharSpan = new CharSpan(program.Length - 1, program.Length);

        var chain = new List<string>();
        var reversedLinks = new List<Assignment>();
        string current = queryVariable;
        int before = lineIndex;
        while (true)
        {
            Assignment? binding = assignments.LastOrDefault(a => a.Target == current && a.LineIndex < before);
            if (binding is null)
            {
                throw Unresolved(queryVariable, current, before, assignments);
            }
            chain.Add(current);
            reversedLinks.Add(binding);
            if (binding.RhsIsLiteral)
            {
                break;
            }
            current = binding.Rhs;
            before = binding.LineIndex; // strictly decreasing, so the walk terminates
        }

        int depth = reversedLinks.Count;
        var links = new ChainLink[depth];
        for (int i = 0; i < depth; i++)
        {
            var a = reversedLinks[depth - 1 - i];
            links[i] = new ChainLink(a.Target, i + 1, a.LineIndex, a.RhsSpan);
        }
        if (!int.TryParse(reversedLinks[^1].Rhs, NumberStyles.None, CultureInfo.InvariantCulture, out int rootValue))
        {
            throw new BindingChainException(BindingChainError.MalformedLine, reversedLinks[^1].LineIndex,
                $"The literal on line {reversedLinks[^1].LineIndex} does not fit in a 32-bit integer.");
        }
        return new VariableBindingMetadata(queryVariable, chain, rootValue, depth, links, querySpan, lastCharSpan);
    }

    private static void ParseLine(string program, int start, int end, int lineIndex, List<Assignment> assignments)
    {
        var line = program.AsSpan(start, end - start).Trim(" \t\r");
        if (line.IsEmpty || line[0] == '#')
        {
            return;
        }
        var m = AssignmentLine().Match(program, start, end - start);
        if (!m.Success)
        {
            throw new BindingChainException(BindingChainError.MalformedLine, lineIndex,
                $"Line {lineIndex} is not of the form \"name = digit\" or \"name = name\": \"{program[start..end]}\".");
        }
        bool literal = m.Groups[2].Success;
        var rhs = literal ? m.Groups[2] : m.Groups[3];
        assignments.Add(new Assignment(m.Groups[1].Value, lineIndex, rhs.Value, literal,
            new CharSpan(rhs.Index, rhs.Index + rhs.Length)));
    }

    private static BindingChainException Unresolved(
        string queryVariable, string missing, int usedBefore, List<Assignment> assignments)
    {
        // Judge circularity declaratively: follow each name's last assignment anywhere in the program.
        var lastAssignment = new Dictionary<string, Assignment>();
        foreach (var a in assignments)
        {
            lastAssignment[a.Target] = a;
        }
        var path = new List<string>();
        string name = queryVariable;
        while (lastAssignment.TryGetValue(name, out var a))
        {
            if (path.Contains(name))
            {
                path.Add(name);
                return new BindingChainException(BindingChainError.Circular, a.LineIndex,
                    $"The chain from '{queryVariable}' is circular: {string.Join(" -> ", path)}.");
            }
            path.Add(name);
            if (a.RhsIsLiteral)
            {
                break;
            }
            name = a.Rhs;
        }
        // usedBefore is the line that mentions the missing name: the query line or the assignment copying it.
        return new BindingChainException(BindingChainError.NoRoot, usedBefore,
            $"'{missing}' (used on line {usedBefore}) has no earlier assignment, so the chain from '{queryVariable}' has no root.");
    }
}
