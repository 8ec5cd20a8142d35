using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tests.Interpreter;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks;

public class CounterfactualPairGeneratorTests
{
    private readonly CounterfactualPairGenerator _generator = new();

    [Fact(DisplayName = "Both programs of a pair match the interpreter and differ only at the divergence line, and in their answers")]
    public void PairsAgreeAndDivergeOnce()
    {
        for (int seed = 0; seed < 2000; seed++)
        {
            // Mostly short programs, plus the maximum length where merging histories are most likely.
            int seqLen = seed % 10 == 0 ? _generator.MaxSeqLen : 1 + seed % 20;
            var c = _generator.Generate(seqLen, new DeterministicRng((ulong)seed));
            var m = (CounterfactualPairMetadata)c.Metadata;
            PyInterpreter.Run(m.CounterfactualProgram).Str("x").Should().Be(m.CounterfactualExpected, m.CounterfactualProgram);

            var a = c.Program.Split('\n');
            var b = m.CounterfactualProgram.Split('\n');
            a.Should().HaveSameCount(b);
            Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).Should().Equal(m.DivergenceStep);
            m.OriginalLineSpan.Slice(c.Program).Should().Be(a[m.DivergenceStep]);
            m.CounterfactualLineSpan.Slice(m.CounterfactualProgram).Should().Be(b[m.DivergenceStep]);
            m.CounterfactualExpected.Should().NotBe(c.Expected, "patching needs pairs whose answers differ");
            m.OriginalValues[^1].ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(c.Expected);
        }
    }

    [Fact(DisplayName = "All five update operations occur, including negative operands for // and %")]
    public void CoversOperations()
    {
        var ops = new HashSet<UpdateOp>();
        bool negativeBeforeFloorOp = false;
        for (int seed = 0; seed < 300; seed++)
        {
            var m = (CounterfactualPairMetadata)_generator.Generate(10, new DeterministicRng((ulong)seed)).Metadata;
            for (int i = 0; i < m.Steps.Count; i++)
            {
                ops.Add(m.Steps[i].Op);
                if (m.Steps[i].Op is UpdateOp.FloorDivide or UpdateOp.Modulo && m.OriginalValues[i] < 0) negativeBeforeFloorOp = true;
            }
        }
        ops.Should().HaveCount(5);
        negativeBeforeFloorOp.Should().BeTrue("Python floor semantics only matter for negative values");
    }

    [Fact(DisplayName = "A chosen divergence step is honoured and validated")]
    public void ChosenDivergence()
    {
        var m = (CounterfactualPairMetadata)_generator.GeneratePair(6, 4, new DeterministicRng(1)).Metadata;
        m.DivergenceStep.Should().Be(4);
        _generator.Invoking(g => g.GeneratePair(6, 0, new DeterministicRng(1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("divergenceStep");
        _generator.Invoking(g => g.GeneratePair(6, 7, new DeterministicRng(1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("divergenceStep");
    }
}
