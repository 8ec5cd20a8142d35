using Debug.Core.Prompts;

namespace Debug.Core.Experiments;

/// <summary>
/// Turns a model's completion into an answer string comparable with <see cref="Tasks.TaskCase.Expected"/>
/// (Python's <c>str(value)</c>), or null when no answer can be found. Wraps <see cref="AnswerParsers"/> so the
/// runner compares strings for every task family (integers and booleans alike).
/// </summary>
public sealed class AnswerParser
{
    private readonly Func<string, string?> _parse;

    /// <summary>Creates a parser.</summary>
    /// <param name="name">Stable name written to result files.</param>
    /// <param name="parse">Completion to answer (Python's <c>str</c> form), or null when nothing parses.</param>
    public AnswerParser(string name, Func<string, string?> parse)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(parse);
        Name = name;
        _parse = parse;
    }

    /// <summary>Stable name written to result files.</summary>
    public string Name { get; }

    /// <summary>Parses <paramref name="completion"/>; null means "unparseable".</summary>
    public string? Parse(string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return _parse(completion);
    }

    /// <summary>Integers, via <see cref="AnswerParsers.ParseInteger"/> (answer markers first, then any integer).</summary>
    public static AnswerParser Integer { get; } = new("integer", c => Format(AnswerParsers.ParseInteger(c)));

    /// <summary>Booleans as <c>True</c>/<c>False</c>, via <see cref="AnswerParsers.ParseBoolean"/>.</summary>
    public static AnswerParser Boolean { get; } = new("boolean", c =>
    {
        var parsed = AnswerParsers.ParseBoolean(c);
        return parsed.IsParsed ? (parsed.Value ? "True" : "False") : null;
    });

    /// <summary>
    /// The first digit of the completion. Binding values are single digits by construction (the literals are 0..9)
    /// and the prompt ends at <c>#q: </c>, so the next digit is the answer. Reading one digit rather than the first
    /// integer matters for models trained with loss on the answer token only (the embedded model): they continue
    /// with arbitrary text, often the same digit again ("3333"), which is not a different answer.
    /// </summary>
    public static AnswerParser VariableBinding { get; } = new("variable_binding", c =>
    {
        foreach (char ch in c)
            if (char.IsAsciiDigit(ch)) return ch.ToString();
        return null;
    });

    /// <summary>
    /// The Python framework's <c>parse_integer</c> (<see cref="PythonAnswerParsers.ParseInteger"/>): for scoring as it
    /// scored, quirks included. Not a default; choose it in <see cref="ExperimentConfig"/>.
    /// </summary>
    public static AnswerParser PythonInteger { get; } = new("python_integer", c =>
        PythonAnswerParsers.ParseInteger(c)?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The Python framework's <c>parse_boolean</c> (<see cref="PythonAnswerParsers.ParseBoolean"/>), as <c>True</c>/<c>False</c>.</summary>
    public static AnswerParser PythonBoolean { get; } = new("python_boolean", c =>
        PythonAnswerParsers.ParseBoolean(c) is bool b ? (b ? "True" : "False") : null);

    /// <summary>Every named parser, for lookup by <see cref="Name"/>.</summary>
    public static IReadOnlyList<AnswerParser> All { get; } = [Integer, Boolean, VariableBinding, PythonInteger, PythonBoolean];

    /// <summary>The parser called <paramref name="name"/> (<c>integer</c>, <c>boolean</c>, <c>variable_binding</c>, <c>python_integer</c>, <c>python_boolean</c>).</summary>
    /// <param name="name">A parser name.</param>
    /// <exception cref="ArgumentException">No parser has that name.</exception>
    public static AnswerParser Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => p.Name == name)
            ?? throw new ArgumentException($"Unknown answer parser '{name}'. Known: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
    }

    private static string? Format(ParsedAnswer<long> parsed) =>
        parsed.IsParsed ? parsed.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
