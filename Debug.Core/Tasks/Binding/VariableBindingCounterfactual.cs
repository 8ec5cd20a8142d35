using System.Globalization;

namespace Debug.Core.Tasks;

/// <summary>A variable-binding program and its twin whose query chain ends in a different literal.</summary>
/// <param name="Original">The original program with resolved metadata.</param>
/// <param name="Counterfactual">The program with the root literal replaced.</param>
/// <param name="ChangedSpans">
/// Character spans that differ between the two programs. The replacement has the same number of characters, so
/// each span is valid in both texts (today: exactly the root literal).
/// </param>
public sealed record VariableBindingCounterfactualPair(
    TaskCase Original, TaskCase Counterfactual, IReadOnlyList<CharSpan> ChangedSpans);

/// <summary>
/// Builds counterfactuals for variable binding by changing the root literal of the query's chain, which changes
/// the answer and nothing else about the chain's structure.
/// </summary>
public static class VariableBindingCounterfactual
{
    /// <summary>Replaces the query chain's root literal with a different random value of the same width.</summary>
    /// <param name="program">A generated or hand-written variable-binding program.</param>
    /// <param name="rng">Chooses the new value.</param>
    /// <exception cref="BindingChainException">The chain is circular, has no root, or the program is malformed.</exception>
    public static VariableBindingCounterfactualPair FlipRoot(string program, DeterministicRng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var metadata = BindingChainResolver.Resolve(program);
        int width = metadata.RootSpan.Length;
        // Same width keeps every later character offset (and usually the tokenization) aligned across the pair.
        int low = width == 1 ? 0 : (int)Math.Pow(10, width - 1);
        int high = width >= 10 ? int.MaxValue : (int)Math.Min(int.MaxValue, (long)Math.Pow(10, width));
        int value;
        do
        {
            value = rng.NextInt(low, high);
        } while (value == metadata.RootValue);
        return Build(program, metadata, value);
    }

    /// <summary>Replaces the query chain's root literal with <paramref name="newRootValue"/>.</summary>
    /// <param name="program">A generated or hand-written variable-binding program.</param>
    /// <param name="newRootValue">The new literal; it must differ from the old one and have the same number of digits.</param>
    /// <exception cref="BindingChainException">The chain is circular, has no root, or the program is malformed.</exception>
    /// <exception cref="ArgumentException"><paramref name="newRootValue"/> equals the old root or has a different width.</exception>
    public static VariableBindingCounterfactualPair FlipRoot(string program, int newRootValue)
    {
        var metadata = BindingChainResolver.Resolve(program);
        return Build(program, metadata, newRootValue);
    }

    private static VariableBindingCounterfactualPair Build(string program, VariableBindingMetadata metadata, int newRootValue)
    {
        var root = metadata.RootSpan;
        string replacement = newRootValue.ToString(CultureInfo.InvariantCulture);
        if (newRootValue < 0 || replacement.Length != root.Length)
        {
            throw new ArgumentException(
                $"The new root must be a non-negative literal of {root.Length} digit(s) so the programs stay aligned.",
                nameof(newRootValue));
        }
        if (newRootValue == metadata.RootValue)
        {
            throw new ArgumentException("The new root must differ from the original root.", nameof(newRootValue));
        }
        string counterfactual = string.Concat(program.AsSpan(0, root.Start), replacement, program.AsSpan(root.End));
        var counterMetadata = BindingChainResolver.Resolve(counterfactual);
        var original = new TaskCase(program, metadata.RootValue.ToString(CultureInfo.InvariantCulture), metadata);
        var twin = new TaskCase(counterfactual, replacement, counterMetadata);
        return new VariableBindingCounterfactualPair(original, twin, [root]);
    }
}
