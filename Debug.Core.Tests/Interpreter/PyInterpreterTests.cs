using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Interpreter;

/// <summary>
/// The interpreter is the oracle for the generator tests, so it is itself checked against values printed by
/// CPython 3 for the same snippets.
/// </summary>
public class PyInterpreterTests
{
    public static TheoryData<string, string, string> Programs => new()
    {
        // program, variable, what CPython prints
        { "x = -7 // 2", "x", "-4" },
        { "x = -7 % 3", "x", "2" },
        { "x = 7 % -3", "x", "-2" },
        { "x = 7 // -2", "x", "-4" },
        { "x = -9 // -4", "x", "2" },
        { "x = -9 % -4", "x", "-1" },
        { "x = abs(3 - 8)", "x", "5" },
        { "x = -3\nx //= 2", "x", "-2" },
        { "x = -3\nx %= 5", "x", "2" },
        { "x = 2 + 3 * 4 - 10 // 3", "x", "11" },
        { "a, b = 0, 1\nfor i in range(5):\n    a, b = b, a + b", "b", "8" },
        { "x = True\ny = False\nz = not x or y", "z", "False" },
        { "z = 0 or 5", "z", "5" },
        { "z = 3 and 0", "z", "0" },
        { "x = 1\ny = 0\ntry:\n    x = x // y\n    x += 1\nexcept ZeroDivisionError:\n    x = 9", "x", "9" },
        { "count = 0\nfor i in range(7):\n    if i % 3 == 1:\n        count += 1", "count", "2" },
        { "x = 4  # start\nx += 1  # step 1\n# a comment line\n\nx -= 7", "x", "-2" },
        { "x = 1\nif x > 2:\n    x = 5\nelse:\n    x = 6", "x", "6" },
    };

    [Theory(DisplayName = "Interpreter matches CPython")]
    [MemberData(nameof(Programs))]
    public void MatchesCPython(string program, string variable, string expected) =>
        PyInterpreter.Run(program).Str(variable).Should().Be(expected);

    [Fact(DisplayName = "Division by zero outside try raises ZeroDivisionError")]
    public void UncaughtZeroDivision() =>
        FluentActions.Invoking(() => PyInterpreter.Run("x = 1 // 0"))
            .Should().Throw<PyRaised>().Which.TypeName.Should().Be("ZeroDivisionError");

    [Fact(DisplayName = "An undefined name raises NameError")]
    public void UndefinedName() =>
        FluentActions.Invoking(() => PyInterpreter.Run("x = y"))
            .Should().Throw<PyRaised>().Which.TypeName.Should().Be("NameError");

    [Fact(DisplayName = "Referential depth counts copies back to a literal")]
    public void TracksDepth()
    {
        var run = PyInterpreter.Run("a = 3\nb = a\nc = 7\nd = b\ne = d\n#e: ");
        run.Depths.Should().Contain(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2, ["c"] = 1, ["d"] = 3, ["e"] = 4 });
    }
}
