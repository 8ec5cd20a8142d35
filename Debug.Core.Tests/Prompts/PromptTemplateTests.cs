using Debug.Core.Prompts;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Prompts;

public class PromptTemplateTests
{
    public static TheoryData<string> TemplateNames => new(PromptTemplates.All.Select(t => t.Name));

    [Theory(DisplayName = "Every built-in template can be looked up by name")]
    [InlineData("range_tracking")]
    [InlineData("boolean_logic")]
    [InlineData("step_by_step")]
    [InlineData("chain_of_thought")]
    [InlineData("minimal")]
    [InlineData("entity_tracking")]
    [InlineData("variable_binding")]
    [InlineData("exception_handling")]
    public void LookupByName(string name) => PromptTemplates.Get(name).Name.Should().Be(name);

    [Theory(DisplayName = "Rendering embeds the code verbatim at CodeOffset")]
    [MemberData(nameof(TemplateNames))]
    public void CodeOffsetPointsAtCode(string name)
    {
        const string code = "x = 1\nfor i in range(3):\n    x += 2\n";
        var prompt = PromptTemplates.Get(name).Render(code, "x");
        prompt.Text.Substring(prompt.CodeOffset, code.Length).Should().Be(code);
        prompt.Text.Should().NotContain("{code}").And.NotContain("{variable}");
    }

    [Fact(DisplayName = "Metadata spans shift into prompt coordinates")]
    public void SpansShift()
    {
        var c = new VariableBindingGenerator(2).Generate(6, new DeterministicRng(3));
        var m = (VariableBindingMetadata)c.Metadata;
        foreach (var template in PromptTemplates.All)
        {
            var prompt = template.Render(c.Program, m.QueryVariable);
            prompt.ToPromptSpan(m.RootSpan).Slice(prompt.Text).Should().Be(c.Expected);
            prompt.ToPromptSpan(m.QueryVariableSpan).Slice(prompt.Text).Should().Be(m.QueryVariable);
        }
    }

    [Fact(DisplayName = "The variable-binding prompt ends with the query so the next token is the answer")]
    public void BindingPromptEndsWithQuery()
    {
        var c = new VariableBindingGenerator().Generate(8, new DeterministicRng(1));
        PromptTemplates.VariableBinding.Render(c.Program).Text.Should().EndWith($"#{c.Metadata.QueryVariable}: ");
    }

    [Fact(DisplayName = "{variable} before {code} still yields the right offset; braces in code are left alone")]
    public void VariableBeforeCode()
    {
        var template = new PromptTemplate("custom", "Track {variable} here:\n{code}\nvalue of {variable}? {not a placeholder}");
        var prompt = template.Render("a = {variable}\n", "abc");
        prompt.Text.Should().Be("Track abc here:\na = {variable}\n\nvalue of abc? {not a placeholder}");
        prompt.CodeOffset.Should().Be("Track abc here:\n".Length);
    }

    [Fact(DisplayName = "A template without {code} is rejected naming the text argument")]
    public void MissingCodePlaceholder() =>
        FluentActions.Invoking(() => new PromptTemplate("bad", "What is x?"))
            .Should().Throw<ArgumentException>().WithParameterName("text");

    [Fact(DisplayName = "A template with {code} twice is rejected")]
    public void DuplicateCodePlaceholder() =>
        FluentActions.Invoking(() => new PromptTemplate("bad", "{code}{code}"))
            .Should().Throw<ArgumentException>().WithParameterName("text");

    [Fact(DisplayName = "An unknown template name is rejected naming the argument")]
    public void UnknownName() =>
        FluentActions.Invoking(() => PromptTemplates.Get("no_such_template"))
            .Should().Throw<ArgumentException>().WithParameterName("name").WithMessage("*no_such_template*");

    [Fact(DisplayName = "A template that needs the variable refuses to render without it")]
    public void MissingVariable() =>
        PromptTemplates.ChainOfThought.Invoking(t => t.Render("x = 1\n"))
            .Should().Throw<ArgumentException>().WithParameterName("variable");
}
