using System.Globalization;

namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>A binding program's counterfactual twin, as the framework's <c>CounterfactualGenerator</c> makes it.</summary>
/// <param name="CounterfactualProgram">The program with the root line replaced.</param>
/// <param name="NewRootValue">The new root digit.</param>
/// <param name="NewRootValueIndex">Its index among the candidates (0..9 without the old root), when drawn.</param>
/// <param name="Chain">The query's chain in the original program.</param>
public sealed record PythonCounterfactual(string CounterfactualProgram, string NewRootValue, int? NewRootValueIndex, PythonBindingChain Chain);

/// <summary>
/// The framework's <c>CounterfactualGenerator.create_counterfactual</c> (<c>src/debug/counterfactual.py</c>): the
/// new root is <c>random.choice</c> of the digits 0..9 other than the root, and the first line whose stripped text
/// starts with <c>"{root} ="</c> becomes <c>"{root} = {new}"</c> (indentation and comments dropped).
/// </summary>
/// <remarks>
/// The framework draws from Python's global, unseeded <c>random</c>, so its twins cannot be reproduced. Here the
/// caller passes a <see cref="PythonRandom"/>: <c>new PythonRandom(seed)</c> is <c>random.seed(seed)</c> right before
/// the call, the convention of the seed goldens. Debug's own <c>VariableBindingCounterfactual</c> (same-width
/// roots, exact spans, re-resolved twins) stays the default for tracing.
/// </remarks>
public static class PythonBindingCounterfactual
{
    /// <summary>Creates the twin, drawing the new root from <paramref name="random"/>.</summary>
    /// <param name="program">The original program.</param>
    /// <param name="queryVariable">The variable the query line names.</param>
    /// <param name="random">Stands in for Python's global <c>random</c>.</param>
    /// <exception cref="ArgumentException">The chain is circular or has no literal root (the framework's ValueError).</exception>
    public static PythonCounterfactual Create(string program, string queryVariable, PythonRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var chain = RootedChain(program, queryVariable);
        string root = chain.RootValue!;
        if (!long.TryParse(root.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long rootInt))
        {
            return new PythonCounterfactual(Replace(program, chain, "7"), "7", null, chain);
        }
        int[] candidates = [.. Enumerable.Range(0, 10).Where(d => d != rootInt)];
        int index = random.RandBelow(candidates.Length);
        string value = candidates[index].ToString(CultureInfo.InvariantCulture);
        return new PythonCounterfactual(Replace(program, chain, value), value, index, chain);
    }

    /// <summary>Creates the twin with a given new root value (<c>new_root_value=</c>), drawing nothing.</summary>
    /// <param name="program">The original program.</param>
    /// <param name="queryVariable">The variable the query line names.</param>
    /// <param name="newRootValue">The text that replaces the root's right-hand side.</param>
    /// <exception cref="ArgumentException">The chain is circular or has no literal root, or no line assigns the root.</exception>
    public static PythonCounterfactual Create(string program, string queryVariable, string newRootValue)
    {
        ArgumentNullException.ThrowIfNull(newRootValue);
        var chain = RootedChain(program, queryVariable);
        return new PythonCounterfactual(Replace(program, chain, newRootValue), newRootValue, null, chain);
    }

    private static PythonBindingChain RootedChain(string program, string queryVariable)
    {
        var chain = PythonBindingChain.Identify(program, queryVariable);
        if (chain.IsCircular)
        {
            throw new ArgumentException($"Cannot create a counterfactual: the chain of '{queryVariable}' is circular.", nameof(program));
        }
        if (chain.RootValue is null)
        {
            throw new ArgumentException($"Cannot create a counterfactual: the chain of '{queryVariable}' has no literal root.", nameof(program));
        }
        return chain;
    }

    private static string Replace(string program, PythonBindingChain chain, string value)
    {
        string rootVariable = chain.Links[^1].Variable;
        string[] lines = program.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().StartsWith($"{rootVariable} =", StringComparison.Ordinal))
            {
                lines[i] = $"{rootVariable} = {value}";
                return string.Join("\n", lines);
            }
        }
        throw new ArgumentException($"No line assigns the root variable '{rootVariable}'.", nameof(program));
    }
}
