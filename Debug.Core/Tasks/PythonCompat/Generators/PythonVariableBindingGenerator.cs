using System.Text;

namespace Debug.Core.Tasks.PythonCompat.Generators;

/// <summary>
/// The framework's <c>make_variable_binding_program</c> (<c>src/debug/generators.py</c>): <c>seqLen</c> lines
/// <c>v = digit</c> or <c>v = w</c>, then <c>#q: </c>. Answer: q's digit; <c>query_hops</c>: q's depth.
/// </summary>
/// <remarks>
/// Draws per line: the target is a <c>choice</c> among the letters not yet assigned, in alphabetical order (all 26 once
/// none is left, so lines after the 26th reassign); then one <c>random()</c>, drawn even on line 1; below 0.3, or
/// when nothing is assigned yet, the line gets <c>choice</c> of a digit at depth 1, otherwise a <c>choice</c> among the
/// assigned variables in first-assignment order with p ∝ depth³ and depth + 1. The query is a <c>choice</c> with
/// p ∝ depth³ among variables of depth 1..4 (all of them when there are none). The answer follows the final
/// bindings, and is 0 for a cycle, as the framework's <c>resolve</c> does.
/// </remarks>
public sealed class PythonVariableBindingGenerator : RandomStateTaskGenerator
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";
    private static readonly string[] LetterList = [.. Letters.Select(c => c.ToString())];
    private static readonly string[] Digits = [.. "0123456789".Select(c => c.ToString())];

    /// <inheritdoc />
    public override string Name => "make_variable_binding_program";

    /// <inheritdoc />
    public override int MaxSeqLen => 1000;

    /// <inheritdoc />
    protected override TaskCase Create(int seqLen, NumpyRandomState rng)
    {
        // Python dicts keep first-insertion order when a key is reassigned; the list mirrors that.
        var order = new List<string>();
        var bindings = new Dictionary<string, (string Rhs, int Depth)>(StringComparer.Ordinal);
        var lines = new List<string>(seqLen + 1);
        for (int line = 0; line < seqLen; line++)
        {
            var available = LetterList.Where(v => !bindings.ContainsKey(v)).ToArray();
            string lhs = rng.Choice(available.Length > 0 ? available : LetterList);
            // `rng.random() < 0.3 or not defined_vars`: the draw comes first, so it happens on line 1 as well.
            bool constant = rng.Random() < 0.3 || bindings.Count == 0;
            string rhs;
            int depth;
            if (constant)
            {
                rhs = rng.Choice(Digits);
                depth = 1;
            }
            else
            {
                rhs = rng.Choice(order, CubedDepthProbabilities(order.Select(v => bindings[v].Depth)));
                depth = bindings[rhs].Depth + 1;
            }
            if (!bindings.ContainsKey(lhs))
            {
                order.Add(lhs);
            }
            bindings[lhs] = (rhs, depth);
            lines.Add($"{lhs} = {rhs}");
        }

        var candidates = order.Where(v => bindings[v].Depth is >= 1 and <= 4).ToList();
        if (candidates.Count == 0)
        {
            candidates = order;
        }
        string query = rng.Choice(candidates, CubedDepthProbabilities(candidates.Select(v => bindings[v].Depth)));
        int hops = bindings[query].Depth;
        lines.Add($"#{query}: ");

        string program = string.Join("\n", lines);
        long answer = Resolve(query, bindings, []);
        var metadata = new PythonVariableBindingMetadata(query, hops, PythonBindingChain.Identify(program, query).Links);
        return new TaskCase(program, GeneratorGuard.Py(answer), metadata);
    }

    /// <summary><c>w = depth**3</c> as float64, then <c>w / w.sum()</c> (integer-valued doubles, so the sum is exact).</summary>
    private static double[] CubedDepthProbabilities(IEnumerable<int> depths)
    {
        double[] w = [.. depths.Select(d => (double)d * d * d)];
        double sum = w.Sum();
        for (int i = 0; i < w.Length; i++)
        {
            w[i] /= sum;
        }
        return w;
    }

    private static long Resolve(string name, Dictionary<string, (string Rhs, int Depth)> bindings, HashSet<string> visiting)
    {
        if (visiting.Contains(name))
        {
            return 0; // the framework's value for a circular reference
        }
        if (name.Length == 1 && char.IsAsciiDigit(name[0]))
        {
            return name[0] - '0';
        }
        if (!bindings.TryGetValue(name, out var binding))
        {
            return 0;
        }
        visiting.Add(name);
        long value = Resolve(binding.Rhs, bindings, visiting);
        visiting.Remove(name);
        return value;
    }
}
