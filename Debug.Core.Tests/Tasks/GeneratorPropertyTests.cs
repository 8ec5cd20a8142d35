using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks;

/// <summary>Per-generator distribution properties and argument validation.</summary>
public class GeneratorPropertyTests
{
    public static TheoryData<string> GeneratorNames => new(TaskGenerators.All.Select(g => g.Name));

    [Theory(DisplayName = "seqLen below 1 or above MaxSeqLen is rejected naming seqLen")]
    [MemberData(nameof(GeneratorNames))]
    public void RejectsBadSeqLen(string name)
    {
        var g = TaskGenerators.Get(name);
        g.Invoking(x => x.Generate(0, new DeterministicRng(0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("seqLen");
        g.Invoking(x => x.Generate(-3, new DeterministicRng(0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("seqLen");
        g.Invoking(x => x.Generate(g.MaxSeqLen + 1, new DeterministicRng(0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("seqLen");
        g.Invoking(x => x.Generate(g.MaxSeqLen, null!)).Should().Throw<ArgumentNullException>().WithParameterName("rng");
    }

    [Theory(DisplayName = "The same seed always yields the same case")]
    [MemberData(nameof(GeneratorNames))]
    public void Deterministic(string name)
    {
        var g = TaskGenerators.Get(name);
        int seqLen = Math.Min(g.MaxSeqLen, 6);
        var a = g.Generate(seqLen, new DeterministicRng(99));
        var b = g.Generate(seqLen, new DeterministicRng(99));
        b.Program.Should().Be(a.Program);
        b.Expected.Should().Be(a.Expected);
    }

    [Fact(DisplayName = "Unknown generator names are rejected naming the argument")]
    public void UnknownName() =>
        FluentActions.Invoking(() => TaskGenerators.Get("nope")).Should().Throw<ArgumentException>().WithParameterName("name");

    [Fact(DisplayName = "Generator names are unique")]
    public void UniqueNames() => TaskGenerators.All.Select(g => g.Name).Should().OnlyHaveUniqueItems();

    [Fact(DisplayName = "Exception handling: about 30% of try blocks raise and the flags match the divisors")]
    public void ExceptionRaiseRate()
    {
        var g = new ExceptionHandlingGenerator();
        int raised = 0, blocks = 0, programsWithRaise = 0;
        for (int seed = 0; seed < 2000; seed++)
        {
            var m = (ExceptionHandlingMetadata)g.Generate(1, new DeterministicRng((ulong)seed)).Metadata;
            m.Raised.Should().Equal(m.Divisors.Select(d => d == 0));
            raised += m.Raised.Count(r => r);
            blocks += m.Raised.Count;
            if (m.Raised[0]) programsWithRaise++;
        }
        ((double)raised / blocks).Should().BeApproximately(ExceptionHandlingGenerator.RaiseProbability, 0.03);
        ((double)programsWithRaise / 2000).Should().BeApproximately(0.3, 0.03);
    }

    [Fact(DisplayName = "Boolean logic: both answers are common")]
    public void BooleanBalance()
    {
        var g = new BooleanLogicGenerator();
        int trues = Enumerable.Range(0, 2000).Count(s => g.Generate(5, new DeterministicRng((ulong)s)).Expected == "True");
        trues.Should().BeInRange(600, 1400);
    }

    [Fact(DisplayName = "Plus/minus: intermediate values follow the deltas")]
    public void PlusMinusIntermediates()
    {
        var m = (PlusMinusSequenceMetadata)new PlusMinusSequenceGenerator().Generate(8, new DeterministicRng(4)).Metadata;
        long x = m.Initial;
        for (int i = 0; i < m.Deltas.Count; i++)
        {
            x += m.Deltas[i];
            m.IntermediateValues[i].Should().Be(x);
        }
    }
}
