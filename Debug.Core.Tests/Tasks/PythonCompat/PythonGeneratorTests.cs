using System.Text.Json;
using Debug.Core.Tasks;
using Debug.Core.Tasks.PythonCompat;
using Debug.Core.Tasks.PythonCompat.Generators;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks.PythonCompat;

public class PythonGeneratorTests
{
    [Fact(DisplayName = "Binding programs longer than 26 lines reassign letters, and the answer follows the final bindings")]
    public void BindingBeyondTwentySixLines()
    {
        var generator = new PythonVariableBindingGenerator();
        for (int seed = 0; seed < 20; seed++)
        {
            var made = generator.Generate(50, new NumpyRandomState(seed));
            string[] lines = made.Program.Split('\n');
            lines.Should().HaveCount(51);
            lines[..26].Select(l => l[0]).Should().OnlyHaveUniqueItems("the first 26 lines take each letter once");
            var meta = (PythonVariableBindingMetadata)made.Metadata;
            lines[^1].Should().Be($"#{meta.QueryVariable}: ");
            var chain = PythonBindingChain.Identify(made.Program, meta.QueryVariable);
            // The framework's resolve returns 0 on a cycle; otherwise the chain's root digit.
            made.Expected.Should().Be(chain.IsCircular ? "0" : chain.RootValue);
        }
    }

    [Fact(DisplayName = "The multiplication-table program of _06_code_tracking sums base * i with one randint(2, 5)")]
    public void MultiplicationTable()
    {
        var rng = new NumpyRandomState(3);
        var made = new PythonMultiplicationTableGenerator().Generate(4, rng);
        long b = new NumpyRandomState(3).RandInt(2, 5);
        made.Program.Should().Be($"x = 0\nfor i in range(1, 5):\n    x += {b} * i");
        made.Expected.Should().Be((b * 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        rng.WordsDrawn.Should().Be(1);
    }

    [Fact(DisplayName = "make_sequence answers the final x (the framework's list answer can never be matched)")]
    public void SequenceAnswersFinalValue()
    {
        var made = new PythonSequenceGenerator().Generate(5, new NumpyRandomState(0));
        var meta = (PythonSequenceMetadata)made.Metadata;
        meta.Intermediates.Should().HaveCount(6).And.StartWith(0L);
        made.Expected.Should().Be(meta.Intermediates[^1].ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact(DisplayName = "Every framework generator rejects seqLen 0 and beyond its maximum, naming seqLen")]
    public void RejectsSeqLenOutOfRange()
    {
        foreach (var generator in PythonFrameworkGenerators.All)
        {
            generator.Invoking(g => g.Generate(0, new NumpyRandomState(0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("seqLen");
            generator.Invoking(g => g.Generate(g.MaxSeqLen + 1, new NumpyRandomState(0))).Should().Throw<ArgumentOutOfRangeException>();
        }
    }

    [Fact(DisplayName = "Given a Debug rng, a framework generator is deterministic and matches RandomState of the drawn seed")]
    public void DebugRngEntryPoint()
    {
        var generator = new PythonExceptionGenerator();
        var a = generator.Generate(3, new DeterministicRng(5));
        var b = generator.Generate(3, new DeterministicRng(5));
        a.Should().Be(b);
        long seed = (long)(new DeterministicRng(5).NextUInt64() >> 32);
        generator.Generate(3, new NumpyRandomState(seed)).Program.Should().Be(a.Program);
    }

    [Fact(DisplayName = "Pairs with a divergence at or past the end are identical programs")]
    public void PairWithoutDivergence()
    {
        var pair = PythonCounterfactualPairs.Arithmetic(4, 4, new NumpyRandomState(1));
        pair.ProgramB.Should().Be(pair.ProgramA);
        pair.IntermediatesB.Should().Equal(pair.IntermediatesA);
    }

    [Fact(DisplayName = "The binding counterfactual takes a given root value and refuses a rootless chain")]
    public void CounterfactualWithGivenValue()
    {
        var cf = PythonBindingCounterfactual.Create("a = 3\nb = a\n#b: ", "b", "5");
        cf.CounterfactualProgram.Should().Be("a = 5\nb = a\n#b: ");
        var act = () => PythonBindingCounterfactual.Create("b = a\n#b: ", "b", "5");
        act.Should().Throw<ArgumentException>().WithMessage("*no literal root*");
    }

    [Fact(DisplayName = "A golden mismatch names generator, seq_len, seed, the first differing character and mt_words on both sides")]
    public void MismatchMessage()
    {
        string row = """{"generator":"make_range_program","seq_len":2,"seed":0,"program":"x = 0\nfor i in range(2):\n    x += 7","answer":12,"mt_words":5}""";
        using var document = JsonDocument.Parse(row);
        string? message = SeedGoldenChecks.GeneratorRow(document.RootElement);
        message.Should().Contain("make_range_program").And.Contain("seq_len=2").And.Contain("seed=0")
            .And.Contain("first difference at character 34").And.Contain("golden \"7\", Debug \"6\"")
            .And.Contain("mt_words golden 5, Debug 3");
    }
}
