using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tests.Interpreter;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks;

public class VariableBindingGeneratorTests
{
    public static TheoryData<int> AllHops => new(1, 2, 3, 4);

    private static IEnumerable<TaskCase> Cases(VariableBindingGenerator generator, int count, int minSeqLen)
    {
        for (int seed = 0; seed < count; seed++)
        {
            int seqLen = minSeqLen + seed % (generator.MaxSeqLen - minSeqLen + 1);
            yield return generator.Generate(seqLen, new DeterministicRng((ulong)seed));
        }
    }

    [Theory(DisplayName = "Exact-hops: the interpreter's referential depth equals the requested hops")]
    [MemberData(nameof(AllHops))]
    public void ExactHopsDepth(int hops)
    {
        foreach (var c in Cases(new VariableBindingGenerator(hops), 2000, hops))
        {
            var run = PyInterpreter.Run(c.Program);
            string q = c.Metadata.QueryVariable;
            run.Depths[q].Should().Be(hops, c.Program);
            run.Str(q).Should().Be(c.Expected);
        }
    }

    [Theory(DisplayName = "Exact-hops: the nearest digit above the query is a distractor, never the answer")]
    [MemberData(nameof(AllHops))]
    public void ExactHopsDistractors(int hops)
    {
        int queryAssignedLast = 0, firstDigitIsAnswer = 0, total = 0;
        foreach (var c in Cases(new VariableBindingGenerator(hops), 2000, hops + 1))
        {
            var lines = c.Program.Split('\n')[..^1];
            var literals = lines.Select(l => l.Split(" = ")[1]).Where(r => char.IsAsciiDigit(r[0])).ToList();
            // Only the query chain's own root carries the answer; every other literal is a different digit.
            literals.Count(d => d == c.Expected).Should().Be(1, c.Program);
            literals.Should().HaveCountGreaterThan(1, c.Program);
            literals[^1].Should().NotBe(c.Expected, "the closest digit above the query must mislead:\n" + c.Program);
            total++;
            if (literals[0] == c.Expected) firstDigitIsAnswer++;
            if (lines[^1].StartsWith(c.Metadata.QueryVariable + " ", StringComparison.Ordinal)) queryAssignedLast++;
        }
        // Position should not give the query away either: its assignment is usually not the last line.
        ((double)queryAssignedLast / total).Should().BeLessThan(0.4);
        // Nor should "take the first digit": with k chains it is right about 1/k of the time.
        ((double)firstDigitIsAnswer / total).Should().BeLessThan(0.4);
    }

    [Fact(DisplayName = "Reference mode: ~30% constants, query depth 1..4 weighted toward deeper chains")]
    public void ReferenceDistribution()
    {
        var generator = new VariableBindingGenerator();
        int constants = 0, lines = 0;
        var depthCounts = new int[5];
        for (int seed = 0; seed < 2000; seed++)
        {
            var c = generator.Generate(12, new DeterministicRng((ulong)seed));
            var rhs = c.Program.Split('\n')[1..^1].Select(l => l.Split(" = ")[1]).ToList(); // first line is always a constant
            constants += rhs.Count(r => char.IsAsciiDigit(r[0]));
            lines += rhs.Count;
            int depth = PyInterpreter.Run(c.Program).Depths[c.Metadata.QueryVariable];
            depth.Should().BeInRange(1, 4);
            depthCounts[depth]++;
        }
        ((double)constants / lines).Should().BeApproximately(VariableBindingGenerator.ConstantProbability, 0.02);
        depthCounts[4].Should().BeGreaterThan(depthCounts[1], "depth^3 weighting favours deep queries");
        depthCounts[3].Should().BeGreaterThan(depthCounts[1]);
    }

    [Theory(DisplayName = "Every mode assigns each single-letter variable once, from a digit or an earlier variable")]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void WellFormed(int hops)
    {
        var generator = hops == 0 ? new VariableBindingGenerator() : new VariableBindingGenerator(hops);
        foreach (var c in Cases(generator, 500, Math.Max(hops, 1)))
        {
            var assigned = new HashSet<string>();
            foreach (var line in c.Program.Split('\n')[..^1])
            {
                var parts = line.Split(" = ");
                parts.Should().HaveCount(2);
                parts[0].Should().MatchRegex("^[a-z]$");
                parts[1].Should().MatchRegex("^([0-9]|[a-z])$");
                if (char.IsAsciiLetter(parts[1][0])) assigned.Should().Contain(parts[1]);
                assigned.Add(parts[0]).Should().BeTrue("each variable is assigned once");
            }
        }
    }

    [Theory(DisplayName = "Metadata spans, lines and chain order describe the program text")]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void MetadataMatchesText(int hops)
    {
        var generator = hops == 0 ? new VariableBindingGenerator() : new VariableBindingGenerator(hops);
        foreach (var c in Cases(generator, 500, Math.Max(hops, 1)))
        {
            var m = (VariableBindingMetadata)c.Metadata;
            string p = c.Program;
            var lines = p.Split('\n');
            int depth = PyInterpreter.Run(p).Depths[m.QueryVariable];
            m.ReferentialDepth.Should().Be(depth);
            m.Chain.Should().HaveCount(depth).And.StartWith(m.QueryVariable);
            m.Links.Should().HaveCount(depth);
            m.RootValue.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(c.Expected);
            for (int k = 0; k < depth; k++)
            {
                var link = m.Links[k];
                link.Depth.Should().Be(k + 1);
                link.Variable.Should().Be(m.Chain[depth - 1 - k], "links run root-first, the chain query-first");
                string expectedRhs = k == 0 ? c.Expected : m.Links[k - 1].Variable;
                link.RhsSpan.Slice(p).Should().Be(expectedRhs);
                lines[link.LineIndex].Should().Be($"{link.Variable} = {expectedRhs}");
                int lineStart = lines.Take(link.LineIndex).Sum(l => l.Length + 1);
                link.RhsSpan.Start.Should().BeGreaterThanOrEqualTo(lineStart);
                link.RhsSpan.End.Should().Be(lineStart + lines[link.LineIndex].Length);
            }
            m.Links[^1].Variable.Should().Be(m.QueryVariable);
            m.QueryVariableSpan.Slice(p).Should().Be(m.QueryVariable);
            m.QueryVariableSpan.Start.Should().Be(p.LastIndexOf('\n') + 2, "the query line is '#q: '");
            m.LastCharSpan.Should().Be(new CharSpan(p.Length - 1, p.Length));
            m.LastCharSpan.Slice(p).Should().Be(" ");
            m.RootSpan.Should().Be(m.Links[0].RhsSpan);
        }
    }

    [Fact(DisplayName = "Hops outside 1..4 or beyond seqLen are rejected with the argument named")]
    public void Validation()
    {
        FluentActions.Invoking(() => new VariableBindingGenerator(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("hops");
        FluentActions.Invoking(() => new VariableBindingGenerator(5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("hops");
        FluentActions.Invoking(() => VariableBindingGenerator.GenerateExactHops(2, 3, new DeterministicRng(0)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("hops");
        FluentActions.Invoking(() => new VariableBindingGenerator(3).Generate(2, new DeterministicRng(0)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("seqLen");
        FluentActions.Invoking(() => new VariableBindingGenerator().Generate(27, new DeterministicRng(0)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("seqLen");
        VariableBindingGenerator.GenerateExactHops(3, 3, new DeterministicRng(0)).Metadata
            .Should().BeOfType<VariableBindingMetadata>().Which.ReferentialDepth.Should().Be(3);
    }
}
