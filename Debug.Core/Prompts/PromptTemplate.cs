namespace Debug.Core.Prompts;

/// <summary>
/// A named prompt with a required <c>{code}</c> placeholder and an optional <c>{variable}</c> placeholder (the
/// queried variable's name). Placeholders are replaced literally; no other braces are interpreted, so templates
/// may contain Python dict literals or JSON.
/// </summary>
public sealed class PromptTemplate
{
    /// <summary>The placeholder for the program text.</summary>
    public const string CodePlaceholder = "{code}";

    /// <summary>The placeholder for the queried variable's name.</summary>
    public const string VariablePlaceholder = "{variable}";

    /// <summary>Creates a template.</summary>
    /// <param name="name">Lookup name.</param>
    /// <param name="text">Template text containing <c>{code}</c> exactly once.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank or <paramref name="text"/> lacks, or repeats, <c>{code}</c>.</exception>
    public PromptTemplate(string name, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(text);
        int first = text.IndexOf(CodePlaceholder, StringComparison.Ordinal);
        if (first < 0)
        {
            throw new ArgumentException($"Template '{name}' has no {CodePlaceholder} placeholder.", nameof(text));
        }
        // One occurrence means one code offset; a second copy would leave spans ambiguous.
        if (text.IndexOf(CodePlaceholder, first + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"Template '{name}' contains {CodePlaceholder} more than once.", nameof(text));
        }
        Name = name;
        Text = text;
    }

    /// <summary>Lookup name.</summary>
    public string Name { get; }

    /// <summary>The raw template text.</summary>
    public string Text { get; }

    /// <summary>Whether the template mentions the queried variable.</summary>
    public bool UsesVariable => Text.Contains(VariablePlaceholder, StringComparison.Ordinal);

    /// <summary>Substitutes the program (and variable) and reports where the program starts.</summary>
    /// <param name="code">The program text.</param>
    /// <param name="variable">The queried variable; required when <see cref="UsesVariable"/>.</param>
    /// <exception cref="ArgumentException">The template uses <c>{variable}</c> and <paramref name="variable"/> is null or empty.</exception>
    public RenderedPrompt Render(string code, string? variable = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (UsesVariable && string.IsNullOrEmpty(variable))
        {
            throw new ArgumentException($"Template '{Name}' needs the queried variable's name.", nameof(variable));
        }
        int split = Text.IndexOf(CodePlaceholder, StringComparison.Ordinal);
        // Substitute each side separately: a program containing "{variable}" must not be rewritten.
        string before = Substitute(Text[..split], variable);
        string after = Substitute(Text[(split + CodePlaceholder.Length)..], variable);
        return new RenderedPrompt(before + code + after, before.Length);
    }

    private static string Substitute(string part, string? variable) =>
        variable is null ? part : part.Replace(VariablePlaceholder, variable, StringComparison.Ordinal);
}
