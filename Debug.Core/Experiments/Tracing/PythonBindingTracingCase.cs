using System.Globalization;
using Debug.Core.Tasks;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tasks.PythonCompat.Generators;
using Debug.Core.Tokenization;

namespace Debug.Core.Experiments.Tracing;

/// <summary>
/// The tracing case of the Python framework's <c>_08_full_layer_token_patching.py --seed S --seq-len L</c>: the
/// program of <c>make_variable_binding_program(L, RandomState(S))</c>, and its twin from
/// <c>CounterfactualGenerator.create_counterfactual</c> (the root line gets a different digit).
/// </summary>
/// <remarks>
/// The framework draws the twin's new digit from Python's global, unseeded <c>random</c>, so its twins differ from run
/// to run; here <c>random.seed(S)</c> comes first (the convention of the seed goldens), so the same seed always gives
/// the same pair. The script takes <c>--hops</c> but only names its folder with it: the chain's depth is whatever the
/// seed's program has. A depth given here must equal that depth, so a mistyped seed is caught.
/// </remarks>
public static class PythonBindingTracingCase
{
    /// <summary>The framework generator this case comes from.</summary>
    public const string GeneratorName = "make_variable_binding_program";

    /// <summary>Builds the case for (<paramref name="lines"/>, <paramref name="seed"/>).</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="lines">The framework's <c>seq_len</c>: assignment lines.</param>
    /// <param name="seed">The framework's <c>--seed</c>: <c>RandomState(seed)</c>, below 2^32.</param>
    /// <param name="hops">The depth the caller expects, or null to take the program's.</param>
    /// <exception cref="ArgumentException">
    /// The seed is 2^32 or more; the program's depth is not <paramref name="hops"/>; its chain has no literal root or is
    /// circular (possible above 26 lines, where letters are reassigned); the twin does not change the answer; or the
    /// pair cannot be traced with this tokenizer (as for <see cref="BindingTracingCase.Create(ModelTokenizer, int, int, ulong)"/>).
    /// </exception>
    public static BindingTracingCase Create(ModelTokenizer tokenizer, int lines, ulong seed, int? hops = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (seed > uint.MaxValue)
            throw new ArgumentException($"seed {seed}: numpy's RandomState takes seeds below 2^32.", nameof(seed));
        var generated = new PythonVariableBindingGenerator().Generate(lines, new NumpyRandomState((long)seed));
        var metadata = (PythonVariableBindingMetadata)generated.Metadata;
        string where = $"{GeneratorName}(seq_len={lines}, RandomState({seed}))";
        if (hops is int expected && expected != metadata.QueryHops)
            throw new ArgumentException($"{where} queries a {metadata.QueryHops}-hop chain, not {expected} hops; pick a seed with that depth (debug seeds, or the framework's 11_test_rng_seeds.py).", nameof(hops));
        PythonCounterfactual twin;
        VariableBindingMetadata resolved, cfResolved;
        try
        {
            twin = PythonBindingCounterfactual.Create(generated.Program, metadata.QueryVariable, new PythonRandom(seed));
            resolved = BindingChainResolver.Resolve(generated.Program);
            cfResolved = BindingChainResolver.Resolve(twin.CounterfactualProgram);
        }
        catch (Exception e) when (e is ArgumentException or BindingChainException)
        {
            throw new ArgumentException($"{where} cannot be traced: {e.Message}", nameof(seed), e);
        }
        string answer = resolved.RootValue.ToString(CultureInfo.InvariantCulture);
        string cfAnswer = cfResolved.RootValue.ToString(CultureInfo.InvariantCulture);
        // Above 26 lines the framework resolves with each letter's last assignment and rewrites the first one; where that
        // disagrees with the program's own semantics, or the rewrite misses the chain, there is no clean pair to patch.
        if (answer != generated.Expected)
            throw new ArgumentException($"{where} cannot be traced: the framework's answer {generated.Expected} is not what the program computes ({answer}).", nameof(seed));
        if (cfAnswer == answer)
            throw new ArgumentException($"{where} cannot be traced: its counterfactual leaves the answer at {answer}.", nameof(seed));
        var changed = Enumerable.Range(0, Math.Min(generated.Program.Length, twin.CounterfactualProgram.Length))
            .Where(i => generated.Program[i] != twin.CounterfactualProgram[i]).Select(i => new CharSpan(i, i + 1)).ToList();
        var pair = new VariableBindingCounterfactualPair(
            new TaskCase(generated.Program, answer, resolved), new TaskCase(twin.CounterfactualProgram, cfAnswer, cfResolved), changed);
        return BindingTracingCase.Create(tokenizer, metadata.QueryHops, lines, seed, pair);
    }
}
