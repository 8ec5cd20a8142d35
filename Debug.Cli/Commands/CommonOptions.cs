using System.CommandLine;
using System.CommandLine.Parsing;
using Debug.Core.Experiments;
using Debug.Core.Reports;

namespace Debug.Cli.Commands;

/// <summary>Options several commands share: models, results root, run id, torch threads; and list parsing.</summary>
internal static class CommonOptions
{
    /// <summary><c>--models tiny Qwen/Qwen3-0.6B</c> (also comma- or semicolon-separated).</summary>
    public static Option<string[]> Models() => new("--models", "-m")
    {
        Description = "Models: 'tiny' (the embedded model), a HuggingFace id in the local cache, a checkpoint folder, or an OpenAI-compatible endpoint (openai:MODEL, endpoint:URL#MODEL; accuracy only).",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [ModelReference.EmbeddedName],
        // Relative folders are relative to the directory the command runs in (see ModelReference.Absolute).
        CustomParser = r => SplitList(r).Select(m => ModelReference.Absolute(m, Directory.GetCurrentDirectory())).ToArray(),
    };

    /// <summary><c>--results DIR</c>: the results root.</summary>
    public static Option<string?> Results() => new("--results")
    {
        Description = $"Results root (default: ${ExperimentSuiteVariables.Results}, else results/ in the repository).",
    };

    /// <summary><c>--run-id ID</c>: the run folder's name.</summary>
    public static Option<string?> RunId() => new("--run-id")
    {
        Description = $"Name of the run folder (default: ${RunFolder.RunIdVariable}, else UTC yyyyMMdd-HHmmss-<4 hex>).",
        Validators = { r => { if (r.Tokens.Count == 1) Validate(r, () => RunFolder.ValidateRunId(r.Tokens[0].Value, "--run-id")); } },
    };

    /// <summary><c>--device cpu|cuda|cuda:N</c>: where in-process models run (every command that loads one has it).</summary>
    public static Option<string?> Device() => new("--device")
    {
        Description = $"Device of in-process models: cpu, cuda or cuda:N (default: ${Debug.Core.Model.ModelDevice.Variable}, else CUDA when available, else the CPU).",
        Validators = { r => { if (r.Tokens.Count == 1) Validate(r, () => Debug.Core.Model.ModelDevice.Parse(r.Tokens[0].Value, "--device")); } },
    };

    /// <summary>
    /// The device <c>--device</c> asks for, checked against this machine (CUDA asked for without CUDA is a usage error
    /// naming the option), or null when not given (the model's load resolves it from the environment).
    /// </summary>
    /// <exception cref="CliUsageException">The device is not available here.</exception>
    public static TorchSharp.torch.Device? DeviceOf(ParseResult p, Option<string?> option)
    {
        if (p.GetValue(option) is not string spec) return null;
        try
        {
            return Debug.Core.Model.ModelDevice.Resolve(Debug.Core.Model.ModelDevice.Parse(spec, "--device"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new CliUsageException($"--device {spec}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    /// <summary>
    /// <c>--best-of K</c> with <c>--temperature T</c>: K sampled completions per prompt, as the Python framework's
    /// <c>--best-of</c> (the default, 1 at temperature 0, is greedy). Only commands that score generated answers have them.
    /// </summary>
    public static (Option<int> BestOf, Option<double> Temperature) Sampling() =>
    (
        Int("--best-of", "Completions sampled per prompt, as the Python framework's --best-of; a case counts as correct when any sample is (needs --temperature above 0).", 1),
        new Option<double>("--temperature")
        {
            Description = "Sampling temperature (0: greedy, the default; the Python framework samples at 0.7-0.8 with --best-of).",
            DefaultValueFactory = _ => 0.0,
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double t) && t >= 0 && double.IsFinite(t)) return t;
                r.AddError($"--temperature takes a number of at least 0, got '{text}'.");
                return 0;
            },
        }
    );

    /// <summary><c>--threads N</c>: libtorch intra-op threads.</summary>
    public static Option<int> Threads() => Int("--threads", "libtorch intra-op threads (0: libtorch's default, the core count).", 1, min: 0);

    /// <summary>A whole-number option of at least <paramref name="min"/>; anything else is a parse error naming it.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int min = 1) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, name, min, (string t, out int v) => int.TryParse(t, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out v), defaultValue),
    };

    /// <summary>An unsigned option (seeds) of at least <paramref name="min"/>.</summary>
    public static Option<ulong> ULong(string name, string description, ulong defaultValue, ulong min = 0) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, name, min, (string t, out ulong v) => ulong.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out v), defaultValue),
    };

    private delegate bool TryParse<T>(string text, out T value);

    private static T Parse<T>(ArgumentResult r, string name, T min, TryParse<T> parse, T fallback) where T : IComparable<T>
    {
        string text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (parse(text, out T value) && value.CompareTo(min) >= 0) return value;
        r.AddError($"{name} takes a whole number of at least {min}, got '{text}'.");
        return fallback;
    }

    /// <summary>An int list option such as <c>--seq-len 2 5 10</c> (also comma-separated), each value at least <paramref name="min"/>.</summary>
    public static Option<int[]> IntList(string name, string description, int[] defaults, int min = 1) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => defaults,
        CustomParser = r =>
        {
            var values = new List<int>();
            foreach (string item in SplitList(r))
            {
                if (!int.TryParse(item, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v) || v < min)
                {
                    r.AddError($"{name} takes whole numbers of at least {min}, got '{item}'.");
                    return [];
                }
                values.Add(v);
            }
            return [.. values];
        },
    };

    /// <summary>The results root from <c>--results</c>, else <c>DEBUG_RESULTS</c>, else the repository's results/.</summary>
    public static string? ResultsRoot(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : Environment.GetEnvironmentVariable(ExperimentSuiteVariables.Results) is { Length: > 0 } env ? env : null;

    private static IEnumerable<string> SplitList(ArgumentResult r) =>
        r.Tokens.SelectMany(t => t.Value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static void Validate(OptionResult r, Action check)
    {
        try { check(); }
        catch (ArgumentException e) { r.AddError(e.Message.Split(" (Parameter", 2)[0]); }
    }
}

/// <summary>Environment variables the test suite and the CLI share.</summary>
internal static class ExperimentSuiteVariables
{
    /// <summary>Moves the results root.</summary>
    public const string Results = "DEBUG_RESULTS";
}
