using Debug.Core.Tasks;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks;

/// <summary>Hand-written programs, including ones no generator emits (reassignment, comments, bad chains).</summary>
public class BindingChainResolverTests
{
    [Fact(DisplayName = "Reassignment binds to the most recent earlier assignment (Python semantics)")]
    public void Reassignment()
    {
        var m = BindingChainResolver.Resolve("a = 1\nb = a\na = 2\n#b: ");
        m.RootValue.Should().Be(1);
        m.Chain.Should().Equal("b", "a");
        m.Links.Select(l => l.LineIndex).Should().Equal(0, 1);
    }

    [Fact(DisplayName = "Self-copy after an earlier binding adds a link")]
    public void SelfCopy()
    {
        var m = BindingChainResolver.Resolve("a = 4\na = a\n#a: ");
        m.RootValue.Should().Be(4);
        m.ReferentialDepth.Should().Be(2);
        m.Chain.Should().Equal("a", "a");
    }

    [Fact(DisplayName = "Blank lines and comments are skipped but keep their line numbers")]
    public void CommentsAndBlankLines()
    {
        const string program = "a = 3  # root\n\n# note\nbb = a\n#bb: ";
        var m = BindingChainResolver.Resolve(program);
        m.RootValue.Should().Be(3);
        m.Links.Select(l => l.LineIndex).Should().Equal(0, 3);
        m.QueryVariableSpan.Slice(program).Should().Be("bb");
        m.Links[0].RhsSpan.Should().Be(new CharSpan(4, 5));
    }

    [Fact(DisplayName = "Multi-digit literals are one span")]
    public void MultiDigit()
    {
        const string program = "a = 12\nb = a\n#b: ";
        var m = BindingChainResolver.Resolve(program);
        m.RootValue.Should().Be(12);
        m.RootSpan.Slice(program).Should().Be("12");
    }

    public static TheoryData<string, string, BindingChainError> BadPrograms => new()
    {
        { "two names referring to each other", "a = b\nb = a\n#a: ", BindingChainError.Circular },
        { "a name copying itself first", "a = a\n#a: ", BindingChainError.Circular },
        { "a three-name cycle", "a = c\nb = a\nc = b\n#b: ", BindingChainError.Circular },
        { "a copy of an unknown name", "b = a\n#b: ", BindingChainError.NoRoot },
        { "a query of an unknown name", "a = 1\n#c: ", BindingChainError.NoRoot },
        { "a forward reference", "a = b\nb = 3\n#a: ", BindingChainError.NoRoot },
        { "an expression on the right", "a = 1 + 2\n#a: ", BindingChainError.MalformedLine },
        { "no query line", "a = 1\n", BindingChainError.MissingQuery },
        { "a query without colon", "a = 1\n#a", BindingChainError.MissingQuery },
        { "an empty program", "", BindingChainError.MissingQuery },
    };

    [Theory(DisplayName = "Programs without a well-defined answer raise a typed error")]
    [MemberData(nameof(BadPrograms))]
    public void Rejects(string description, string program, BindingChainError error)
    {
        _ = description; // names the case in the test explorer
        FluentActions.Invoking(() => BindingChainResolver.Resolve(program))
            .Should().Throw<BindingChainException>().Where(e => e.Error == error);
    }

    [Fact(DisplayName = "Windows line endings are accepted")]
    public void CrLf()
    {
        var m = BindingChainResolver.Resolve("a = 5\r\nb = a\r\n#b: ");
        m.RootValue.Should().Be(5);
        m.Links[1].LineIndex.Should().Be(1);
    }

    [Theory(DisplayName = "A missing binding is reported on the line that mentions it")]
    [InlineData("a = 1\nb = c\nd = b\n#d: ", 1)]
    [InlineData("a = 1\n#z: ", 1)]
    public void NoRootLine(string program, int line) =>
        FluentActions.Invoking(() => BindingChainResolver.Resolve(program))
            .Should().Throw<BindingChainException>().Which.LineIndex.Should().Be(line);

    [Fact(DisplayName = "The circular error spells out the cycle")]
    public void CircularMessage() =>
        FluentActions.Invoking(() => BindingChainResolver.Resolve("a = b\nb = a\n#a: "))
            .Should().Throw<BindingChainException>().WithMessage("*circular: a -> b -> a*");
}
