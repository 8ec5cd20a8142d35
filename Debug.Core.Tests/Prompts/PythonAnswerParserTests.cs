using Debug.Core.Experiments;
using Debug.Core.Prompts;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Prompts;

/// <summary>
/// The framework's parsers against Debug's on the inputs where they differ (the table in
/// Debug.Core/Tasks/PythonCompat/README.md); every golden row of parsers.jsonl is checked by SeedGoldenTests.
/// </summary>
public class PythonAnswerParserTests
{
    [Theory(DisplayName = "Integer inputs on which the framework's parse_integer and Debug's parser differ")]
    [InlineData("x = 3 + 2 = 5", "3", "5")]
    [InlineData("x = 3\nx = 5\nx = 9", "3", "9")]
    [InlineData("i % 2 == 0 so x = 11", "0", "11")]
    [InlineData("minus \u22125", "5", "-5")]
    [InlineData("x = 1,2", "12", "1")]
    [InlineData("x is: 3, answer: 4", "3", "4")]
    [InlineData("answer: 3 is: 4", "4", "3")]
    [InlineData("99999999999999999999", "99999999999999999999", null)]
    public void IntegerDifferences(string text, string? python, string? debug)
    {
        AnswerParser.PythonInteger.Parse(text).Should().Be(python);
        AnswerParser.Integer.Parse(text).Should().Be(debug);
    }

    [Theory(DisplayName = "Boolean inputs on which the framework's parse_boolean and Debug's parser differ")]
    [InlineData("Trueish? no: False", "True", "False")]
    [InlineData("False, not True", "True", "False")]
    [InlineData("untrue", "True", null)]
    [InlineData("1.0", "True", null)]
    public void BooleanDifferences(string text, string? python, string? debug)
    {
        AnswerParser.PythonBoolean.Parse(text).Should().Be(python);
        AnswerParser.Boolean.Parse(text).Should().Be(debug);
    }

    [Theory(DisplayName = "Inputs both parsers read the same way")]
    [InlineData("The answer is: 42", "42")]
    [InlineData("result: -3", "-3")]
    [InlineData("1,234,567 items", "1234567")]
    [InlineData("-7", "-7")]
    [InlineData("maybe", null)]
    public void IntegerAgreements(string text, string? both)
    {
        AnswerParser.PythonInteger.Parse(text).Should().Be(both);
        AnswerParser.Integer.Parse(text).Should().Be(both);
    }

    [Fact(DisplayName = "Parsers are found by name, and an unknown name lists the known ones")]
    public void LookupByName()
    {
        AnswerParser.Get("python_integer").Should().BeSameAs(AnswerParser.PythonInteger);
        AnswerParser.Get("python_boolean").Should().BeSameAs(AnswerParser.PythonBoolean);
        var act = () => AnswerParser.Get("nope");
        act.Should().Throw<ArgumentException>().WithMessage("*python_integer*");
    }
}
