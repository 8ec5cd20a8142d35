using Debug.Core.Prompts;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Prompts;

public class AnswerParserTests
{
    public static TheoryData<string, long> IntegerAnswers => new()
    {
        { "The answer is: 42", 42 },
        { "Answer: 17", 17 },
        { "**Answer:** 8", 8 },
        { "result: -3", -3 },
        { "The result is 1,234.", 1234 },
        { "x is: 7", 7 },
        { "x is 12", 12 },
        { "x = 3 + 2 = 5", 5 },
        { "x = 3\nx = 5\nx = 9", 9 },
        { "after step 1 x = 4; answer: 6", 6 },
        { "i % 2 == 0 so x = 11", 11 },
        { " 25\n\nQuestion 2", 25 },
        { "It prints -7 then stops", -7 },
        { "1,234,567 items", 1234567 },
        { "minus \u22125", -5 },
        { "Answer: 5, because 2 + 3 = 5", 5 },
    };

    [Theory(DisplayName = "Integer answers")]
    [MemberData(nameof(IntegerAnswers))]
    public void ParsesIntegers(string output, long expected)
    {
        var parsed = AnswerParsers.ParseInteger(output);
        parsed.IsParsed.Should().BeTrue();
        parsed.Value.Should().Be(expected);
        parsed.Is(expected).Should().BeTrue();
    }

    [Theory(DisplayName = "Output without a number is not parsed")]
    [InlineData("")]
    [InlineData("I don't know")]
    [InlineData("x equals y")]
    public void IntegerNotParsed(string output)
    {
        var parsed = AnswerParsers.ParseInteger(output);
        parsed.IsParsed.Should().BeFalse();
        parsed.Should().Be(ParsedAnswer<long>.NotParsed);
    }

    public static TheoryData<string, bool> BooleanAnswers => new()
    {
        { "True", true },
        { "false", false },
        { "The value is FALSE.", false },
        { "x is True and y is False", true },
        { "1", true },
        { "answer: 0", false },
        { "Trueish? no: False", false },
    };

    [Theory(DisplayName = "Boolean answers")]
    [MemberData(nameof(BooleanAnswers))]
    public void ParsesBooleans(string output, bool expected) =>
        AnswerParsers.ParseBoolean(output).Should().Be(new ParsedAnswer<bool>(true, expected, AnswerParsers.ParseBoolean(output).MatchedText));

    [Theory(DisplayName = "Output without a boolean is not parsed")]
    [InlineData("maybe")]
    [InlineData("2")]
    [InlineData("10")]
    public void BooleanNotParsed(string output) => AnswerParsers.ParseBoolean(output).IsParsed.Should().BeFalse();

    [Theory(DisplayName = "Variable binding takes the first integer of the completion")]
    [InlineData("7", 7)]
    [InlineData(" 3\n#b: 4", 3)]
    [InlineData("x\n5", 5)]
    public void ParsesBindingCompletion(string completion, long expected) =>
        AnswerParsers.ParseVariableBinding(completion).Value.Should().Be(expected);

    [Fact(DisplayName = "Variable binding skips an echoed prompt so program digits are ignored")]
    public void SkipsEchoedPrompt()
    {
        const string prompt = "a = 1\nb = 2\nc = a\n#c: ";
        AnswerParsers.ParseVariableBinding(prompt + "1\n", prompt).Value.Should().Be(1);
        AnswerParsers.ParseVariableBinding(prompt + "9", prompt).Value.Should().Be(9);
        AnswerParsers.ParseVariableBinding("6", prompt).Value.Should().Be(6);
        AnswerParsers.ParseVariableBinding(prompt, prompt).IsParsed.Should().BeFalse();
    }
}
