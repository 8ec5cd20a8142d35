using Debug.Core.Prompts;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tasks.PythonCompat.Generators;

namespace Debug.Core.Experiments;

/// <summary>
/// What one accuracy experiment runs: which programs (generator, lengths, hops, seed, count), how they are shown
/// (prompt template) and scored (answer parser), on which models. <c>Quick(name, template, generator, ...)</c> makes one in a line.
/// </summary>
public sealed record ExperimentConfig
{
    /// <summary>Default for <see cref="MaxNewTokens"/>: a leading space, a 13-digit Fibonacci value and a newline
    /// fit even when every character is its own token.</summary>
    public const int DefaultMaxNewTokens = 16;

    /// <summary>Experiment name, used in folder names, result records and threshold lookup (snake_case).</summary>
    public required string Name { get; init; }

    /// <summary>How a program becomes a prompt.</summary>
    public required PromptTemplate Template { get; init; }

    /// <summary>Where the programs come from.</summary>
    public required ITaskGenerator Generator { get; init; }

    /// <summary>How a completion becomes an answer.</summary>
    public required AnswerParser Parser { get; init; }

    /// <summary>Models as typed by a researcher: <c>tiny</c> (the embedded model), a HuggingFace id, or a folder.</summary>
    public IReadOnlyList<string> Models { get; init; } = [ModelReference.EmbeddedName];

    /// <summary>Cases per (model, length, hops) group.</summary>
    public int SequencesPerLength { get; init; } = 20;

    /// <summary>Program lengths (the generator's <c>seqLen</c>).</summary>
    public IReadOnlyList<int> SeqLens { get; init; } = [5];

    /// <summary>
    /// Exact referential depths, for generators that have them (variable binding); null runs the generator's own
    /// distribution. A (length, hops) pair with hops above the length is skipped.
    /// </summary>
    public IReadOnlyList<int>? Hops { get; init; }

    /// <summary>
    /// Experiment seed; case i of every group uses <see cref="CaseSeeds.For"/>(Seed, i), or <c>RandomState(Seed + i)</c>
    /// for a Python-framework generator (<see cref="IRandomStateTaskGenerator"/>; seed 0 gives its runner's cases).
    /// </summary>
    public ulong Seed { get; init; }

    /// <summary>Upper bound on generated tokens per case (generation also stops at a newline after the answer, or EOS).</summary>
    public int MaxNewTokens { get; init; } = DefaultMaxNewTokens;

    /// <summary>Prompts per forward batch (left-padded).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Samples per prompt, as the Python framework's <c>--best-of</c>: 1 (default) is one completion, greedy unless
    /// <see cref="Temperature"/> is set. With k above 1 each prompt gets k completions sampled at
    /// <see cref="Temperature"/>; the case is correct when any of them is, and the prediction is the first correct
    /// one, else the first that parses.
    /// </summary>
    public int BestOf { get; init; } = 1;

    /// <summary>Sampling temperature: 0 (default) is greedy. Required above 0 when <see cref="BestOf"/> is above 1.</summary>
    public double Temperature { get; init; }

    /// <summary>
    /// Makes a config in one line, like the Python framework's <c>quick_experiment(name, template, generator, ...)</c>.
    /// Template, generator and parser may be given by name (<see cref="PromptTemplates.Get"/>,
    /// <see cref="TaskGenerators.Get"/>); the parser defaults to booleans for boolean_logic, digits for binding,
    /// integers otherwise.
    /// </summary>
    public static ExperimentConfig Quick(string name, string template, string generator, int n = 20,
        IReadOnlyList<int>? seqLens = null, IReadOnlyList<string>? models = null, IReadOnlyList<int>? hops = null,
        ulong seed = 0, int maxNewTokens = DefaultMaxNewTokens, AnswerParser? parser = null) =>
        Quick(name, PromptTemplates.Get(template), TaskGenerators.Get(generator), n, seqLens, models, hops, seed, maxNewTokens, parser);

    /// <summary>As the other overload, with the template and generator as objects.</summary>
    public static ExperimentConfig Quick(string name, PromptTemplate template, ITaskGenerator generator, int n = 20,
        IReadOnlyList<int>? seqLens = null, IReadOnlyList<string>? models = null, IReadOnlyList<int>? hops = null,
        ulong seed = 0, int maxNewTokens = DefaultMaxNewTokens, AnswerParser? parser = null)
    {
        var config = new ExperimentConfig
        {
            Name = name,
            Template = template,
            Generator = generator,
            Parser = parser ?? DefaultParser(generator),
            Models = models ?? [ModelReference.EmbeddedName],
            SequencesPerLength = n,
            SeqLens = seqLens ?? [5],
            Hops = hops,
            Seed = seed,
            MaxNewTokens = maxNewTokens,
        };
        config.Validate();
        return config;
    }

    /// <summary>The parser that fits <paramref name="generator"/>'s answers.</summary>
    public static AnswerParser DefaultParser(ITaskGenerator generator) => generator switch
    {
        BooleanLogicGenerator or PythonBooleanProgramGenerator => AnswerParser.Boolean,
        VariableBindingGenerator or PythonVariableBindingGenerator => AnswerParser.VariableBinding,
        _ => AnswerParser.Integer,
    };

    /// <summary>The (length, hops) groups this config runs, in order; hops is null without exact hops.</summary>
    public IEnumerable<(int SeqLen, int? Hops)> Groups()
    {
        foreach (int len in SeqLens)
        {
            if (Hops is null) { yield return (len, null); continue; }
            foreach (int h in Hops)
                if (h <= len) yield return (len, h);
        }
    }

    /// <summary>The generator for one hops value (exact-hops variable binding), or <see cref="Generator"/>.</summary>
    /// <exception cref="InvalidOperationException">Hops are set for a generator that has none.</exception>
    public ITaskGenerator GeneratorFor(int? hops) => hops switch
    {
        null => Generator,
        int h when Generator is VariableBindingGenerator => new VariableBindingGenerator(h),
        _ => throw new InvalidOperationException($"{Name}: generator {Generator.Name} has no exact-hops mode."),
    };

    /// <summary>Checks the settings, naming the bad one.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        if (Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || Name.Contains('/'))
            throw new ArgumentException($"Experiment name '{Name}' must be usable as a folder name.");
        if (Models.Count == 0) throw new ArgumentException($"{Name}: no models.");
        var clash = Models.GroupBy(m => ModelReference.Parse(m).DisplayName).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ArgumentException($"{Name}: models {string.Join(" and ", clash)} share the display name '{clash.Key}'; results would mix.");
        if (SequencesPerLength < 1) throw new ArgumentException($"{Name}: SequencesPerLength must be at least 1.");
        if (MaxNewTokens < 1) throw new ArgumentException($"{Name}: MaxNewTokens must be at least 1.");
        if (BatchSize < 1) throw new ArgumentException($"{Name}: BatchSize must be at least 1.");
        if (BestOf < 1) throw new ArgumentException($"{Name}: BestOf must be at least 1.");
        if (Temperature < 0 || !double.IsFinite(Temperature)) throw new ArgumentException($"{Name}: Temperature must be 0 (greedy) or a positive number.");
        if (BestOf > 1 && Temperature == 0)
            throw new ArgumentException($"{Name}: BestOf {BestOf} at Temperature 0 would repeat one greedy completion; set a Temperature (the Python framework samples at 0.7-0.8).");
        if (SeqLens.Count == 0) throw new ArgumentException($"{Name}: no sequence lengths.");
        if (Generator is IRandomStateTaskGenerator && Seed + (ulong)SequencesPerLength - 1 > uint.MaxValue)
            throw new ArgumentException($"{Name}: Seed + SequencesPerLength - 1 must stay below 2^32 for {Generator.Name}, whose case i is RandomState(Seed + i).");
        foreach (int len in SeqLens)
            if (len < 1 || len > Generator.MaxSeqLen)
                throw new ArgumentException($"{Name}: seqLen {len} is outside 1..{Generator.MaxSeqLen} for {Generator.Name}.");
        if (Hops is not null)
        {
            if (Generator is not VariableBindingGenerator)
                throw new ArgumentException($"{Name}: hops are only defined for variable binding, not {Generator.Name}.");
            foreach (int h in Hops)
                if (h < 1 || h > VariableBindingGenerator.MaxHops)
                    throw new ArgumentException($"{Name}: hops {h} is outside 1..{VariableBindingGenerator.MaxHops}.");
            if (!Groups().Any()) throw new ArgumentException($"{Name}: every hops value exceeds every length.");
        }
    }
}
