using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Interventions;
using Debug.Core.Reports;
using Debug.Core.Tokenization;

namespace Debug.Cli.Commands;

/// <summary>
/// What <c>debug trace</c> patches for one model: a generated binding case (<c>--seed --hops --seq-len</c>), or a
/// program and its counterfactual read from files with their answers. Knockout needs the binding chain's positions,
/// so only a generated case has <see cref="LinkPositions"/>.
/// </summary>
/// <param name="Pair">Token ids of both prompts and both answers' first tokens.</param>
/// <param name="Context">Token labels and target names for the result files.</param>
/// <param name="Prediction">The position whose next-token logits are read (the last one).</param>
/// <param name="LinkPositions">The chain's <c>ref_depth_k_rhs</c> positions, or null for a program from a file.</param>
/// <param name="Stem">Folder-name part naming the program (<c>h2_l5_s3</c>, or the file's name).</param>
/// <param name="Description">One line for the console.</param>
/// <param name="Case">The generated case (for experiment_metadata.json), or null for a program from a file.</param>
/// <param name="FrameworkProgram">Whether <paramref name="Case"/> is the Python framework's program.</param>
internal sealed record TracePair(PatchingPair Pair, TracingContext Context, int Prediction, IReadOnlyList<int>? LinkPositions,
    string Stem, string Description, BindingTracingCase? Case = null, bool FrameworkProgram = false)
{
    /// <summary>The exact-hops binding program at <paramref name="seed"/> and its root-flipped twin.</summary>
    public static TracePair Generated(string model, LoadedModel loaded, int hops, int lines, ulong seed)
    {
        var c = BindingTracingCase.Create(loaded.Tokenizer, hops, lines, seed);
        string answered = RobustSeeds.IsRobust(loaded.Model, c) ? "answered on both prompts" : "NOT answered on both prompts: effects are relative to wrong answers";
        return new TracePair(c.Pair, TracingContext.For(model, c, loaded.Tokenizer), c.Prediction, c.LinkPositions,
            $"h{hops}_l{lines}_s{seed}", $"{model}: {c} {answered}", c);
    }

    /// <summary>
    /// The Python framework's program for <c>--seed --seq-len</c> (<see cref="PythonBindingTracingCase"/>), as its
    /// <c>_08_full_layer_token_patching.py</c> traces it.
    /// </summary>
    /// <exception cref="CliUsageException">The seed is out of numpy's range, its depth is not <paramref name="hops"/>, or it cannot be traced.</exception>
    public static TracePair Python(string model, LoadedModel loaded, int? hops, int lines, ulong seed)
    {
        BindingTracingCase c;
        try
        {
            c = PythonBindingTracingCase.Create(loaded.Tokenizer, lines, seed, hops);
        }
        catch (ArgumentException e)
        {
            string option = e.ParamName == "hops" ? "--hops" : "--seed";
            throw new CliUsageException($"{option}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        string answered = RobustSeeds.IsRobust(loaded.Model, c) ? "answered on both prompts" : "NOT answered on both prompts: effects are relative to wrong answers";
        return new TracePair(c.Pair, TracingContext.For(model, c, loaded.Tokenizer), c.Prediction, c.LinkPositions,
            $"py_h{c.Hops}_l{lines}_s{seed}", $"{model}: {PythonBindingTracingCase.GeneratorName} seed {seed}, {lines} lines, {c.Hops} hops, {answered}",
            c, FrameworkProgram: true);
    }

    /// <summary>A program and its counterfactual from files, with the answers each should get.</summary>
    /// <exception cref="CliUsageException">The prompts tokenize to different lengths, or an answer has no next token.</exception>
    public static TracePair FromFiles(string model, LoadedModel loaded, FileInfo program, FileInfo counterfactual, string answer, string counterfactualAnswer)
    {
        string clean = File.ReadAllText(program.FullName), cf = File.ReadAllText(counterfactual.FullName);
        PatchingPair pair;
        try
        {
            var tokens = CounterfactualTokens.Compare(loaded.Tokenizer, clean, cf, addSpecialTokens: true);
            if (tokens.Problem is string problem) throw new ArgumentException(problem);
            pair = PatchingPair.From(tokens,
                BindingTracingCase.AnswerToken(loaded.Tokenizer, clean, tokens.Clean.Ids, answer),
                BindingTracingCase.AnswerToken(loaded.Tokenizer, cf, tokens.Counterfactual.Ids, counterfactualAnswer));
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--program/--counterfactual: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        int last = pair.Length - 1;
        var labels = pair.CleanIds.Select(id => loaded.Tokenizer.Decode([checked((int)id)])).ToList();
        var context = new TracingContext(model, clean, cf, labels, new Dictionary<int, string> { [last] = "prediction" },
            TracingContext.RawLabels(loaded.Tokenizer, pair.CleanIds));
        string stem = TraceCommand.Safe(Path.GetFileNameWithoutExtension(program.Name));
        return new TracePair(pair, context, last, null, stem, $"{model}: {program.Name} vs {counterfactual.Name}, {pair.Length} tokens, first difference at {pair.FirstDifference}");
    }
}
