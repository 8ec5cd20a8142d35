using System.Text;

namespace Debug.Core.Tasks.Generators;

/// <summary>
/// Variable binding: <c>seqLen</c> lines of <c>v = digit</c> or <c>v = earlier_v</c> over distinct single
/// lowercase letters, then a final query line <c>#q: </c>; the answer is the digit q is bound to.
/// <c>seqLen</c> = the number of assignment lines (at most 26, one per letter).
/// </summary>
/// <remarks>
/// <para>
/// Each variable is assigned exactly once. That keeps "the value of q" independent of reading order and makes the
/// referential depth (1 for <c>v = digit</c>, n+1 for <c>v = w</c> with w at depth n) a property of the variable.
/// </para>
/// <para>
/// Reference mode (no hops): each line after the first is a constant with probability
/// <see cref="ConstantProbability"/>, otherwise it copies an earlier variable chosen with weight depth^3 (favouring
/// long chains). The query is drawn among variables of depth 1..4 with weight depth^3.
/// </para>
/// <para>
/// Exact-hops mode: the query's chain has exactly <c>hops</c> links. The remaining lines form distractor chains
/// (1..4 links each) rooted at digits different from the answer, randomly interleaved with the query chain. Whenever
/// there is a distractor, the nearest digit literal above the query line is a distractor's, so copying the closest
/// digit is always wrong.
/// </para>
/// </remarks>
public sealed class VariableBindingGenerator : ITaskGenerator
{
    /// <summary>Probability that a line (other than the first) in reference mode assigns a digit literal.</summary>
    public const double ConstantProbability = 0.3;

    /// <summary>Largest supported query depth.</summary>
    public const int MaxHops = 4;

    private const string Letters = "abcdefghijklmnopqrstuvwxyz";

    /// <summary>Creates a generator for the reference distribution.</summary>
    public VariableBindingGenerator() { }

    /// <summary>Creates a generator whose query always has referential depth <paramref name="hops"/>.</summary>
    /// <param name="hops">Referential depth of the query, 1..<see cref="MaxHops"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hops"/> is outside 1..4.</exception>
    public VariableBindingGenerator(int hops)
    {
        ValidateHops(hops);
        Hops = hops;
    }

    /// <summary>The exact query depth, or null for the reference distribution.</summary>
    public int? Hops { get; }

    /// <inheritdoc />
    public string Name => Hops is int h ? $"variable_binding_hops{h}" : "variable_binding";

    /// <inheritdoc />
    public int MaxSeqLen => Letters.Length;

    /// <summary>
    /// Generates one program. In exact-hops mode <paramref name="seqLen"/> must be at least <see cref="Hops"/>.
    /// </summary>
    /// <param name="seqLen">Number of assignment lines, 1..26.</param>
    /// <param name="rng">Randomness source.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seqLen"/> is out of range.</exception>
    public TaskCase Generate(int seqLen, DeterministicRng rng)
    {
        GeneratorGuard.SeqLen(seqLen, MaxSeqLen, Name);
        ArgumentNullException.ThrowIfNull(rng);
        if (Hops is int hops)
        {
            if (hops > seqLen)
            {
                throw new ArgumentOutOfRangeException(nameof(seqLen), seqLen,
                    $"{Name}: seqLen must be at least hops ({hops}).");
            }
            return Build(ExactHopsLines(seqLen, hops, rng, out string q), q);
        }
        return Build(ReferenceLines(seqLen, rng, out string query), query);
    }

    /// <summary>Generates one exact-hops program without constructing a configured generator.</summary>
    /// <param name="seqLen">Number of assignment lines, hops..26.</param>
    /// <param name="hops">Referential depth of the query, 1..4 and at most <paramref name="seqLen"/>.</param>
    /// <param name="rng">Randomness source.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static TaskCase GenerateExactHops(int seqLen, int hops, DeterministicRng rng)
    {
        ValidateHops(hops);
        if (hops > seqLen)
        {
            throw new ArgumentOutOfRangeException(nameof(hops), hops, $"hops must not exceed seqLen ({seqLen}).");
        }
        return new VariableBindingGenerator(hops).Generate(seqLen, rng);
    }

    private static void ValidateHops(int hops)
    {
        if (hops < 1 || hops > MaxHops)
        {
            throw new ArgumentOutOfRangeException(nameof(hops), hops, $"hops must be in 1..{MaxHops}.");
        }
    }

    private static List<string> ShuffledLetters(DeterministicRng rng)
    {
        var letters = Letters.Select(c => c.ToString()).ToList();
        rng.Shuffle(letters);
        return letters;
    }

    private static List<(string Target, string Rhs)> ReferenceLines(int seqLen, DeterministicRng rng, out string query)
    {
        var names = ShuffledLetters(rng);
        var lines = new List<(string, string)>(seqLen);
        var depths = new int[seqLen];
        for (int i = 0; i < seqLen; i++)
        {
            if (i == 0 || rng.NextBool(ConstantProbability))
            {
                depths[i] = 1;
                lines.Add((names[i], rng.NextInt(10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                int source = rng.WeightedIndex(depths.Take(i).Select(Cube).ToArray());
                depths[i] = depths[source] + 1;
                lines.Add((names[i], names[source]));
            }
        }
        var candidates = Enumerable.Range(0, seqLen).Where(i => depths[i] <= MaxHops).ToArray();
        int chosen = candidates[rng.WeightedIndex(candidates.Select(i => Cube(depths[i])).ToArray())];
        query = names[chosen];
        return lines;
    }

    private static int Cube(int depth) => depth * depth * depth;

    private static List<(string Target, string Rhs)> ExactHopsLines(int seqLen, int hops, DeterministicRng rng, out string query)
    {
        var names = ShuffledLetters(rng);
        int next = 0;
        int answer = rng.NextInt(10);
        var otherDigits = Enumerable.Range(0, 10).Where(d => d != answer).ToList();
        rng.Shuffle(otherDigits);

        // Chain 0 is the query's; each chain is a list of lines, root first.
        var chains = new List<List<(string Target, string Rhs)>> { Chain(hops, answer) };
        int remaining = seqLen - hops;
        while (remaining > 0)
        {
            int length = rng.NextInt(1, Math.Min(MaxHops, remaining) + 1);
            // Reuse distractor digits only once all nine non-answer digits are taken.
            chains.Add(Chain(length, otherDigits[(chains.Count - 1) % otherDigits.Count]));
            remaining -= length;
        }
        query = chains[0][^1].Target;

        // Random interleaving that keeps each chain's internal order. The next line comes from a chain chosen
        // uniformly among those with lines left; weighting by lines left would start long chains (the query's, at
        // high hops) first, so "answer = first digit" would be right far more often than chance.
        var order = new List<int>(seqLen);
        var left = chains.Select(c => c.Count).ToArray();
        for (int placed = 0; placed < seqLen; placed++)
        {
            int c = rng.WeightedIndex(left.Select(n => n > 0 ? 1 : 0).ToArray());
            order.Add(c);
            left[c]--;
        }
        // If the query root would be the last literal, move the first distractor chain to the end so that the
        // nearest digit above the query is never the answer.
        int lastRootChain = -1;
        var started = new bool[chains.Count];
        foreach (int c in order)
        {
            if (!started[c])
            {
                started[c] = true;
                lastRootChain = c;
            }
        }
        if (chains.Count > 1 && lastRootChain == 0)
        {
            order.RemoveAll(c => c == 1);
            order.AddRange(Enumerable.Repeat(1, chains[1].Count));
        }

        var lines = new List<(string, string)>(seqLen);
        var cursor = new int[chains.Count];
        foreach (int c in order)
        {
            lines.Add(chains[c][cursor[c]++]);
        }
        return lines;

        List<(string, string)> Chain(int length, int digit)
        {
            var chain = new List<(string, string)>(length);
            string previous = digit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < length; i++)
            {
                string name = names[next++];
                chain.Add((name, previous));
                previous = name;
            }
            return chain;
        }
    }

    private static TaskCase Build(List<(string Target, string Rhs)> lines, string query)
    {
        var text = new StringBuilder();
        foreach (var (target, rhs) in lines)
        {
            text.Append(target).Append(" = ").Append(rhs).Append('\n');
        }
        text.Append('#').Append(query).Append(": ");
        string program = text.ToString();
        // The public resolver computes the spans, so generated and hand-written programs share one definition.
        var metadata = BindingChainResolver.Resolve(program);
        return new TaskCase(program, GeneratorGuard.Py(metadata.RootValue), metadata);
    }
}
