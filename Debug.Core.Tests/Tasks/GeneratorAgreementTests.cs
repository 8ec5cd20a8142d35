using Debug.Core.Tasks;
using Debug.Core.Tests.Interpreter;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks;

/// <summary>
/// Every generator's expected answer must be what an independent interpreter computes for its program, over
/// thousands of seeds and a spread of sequence lengths.
/// </summary>
public class GeneratorAgreementTests
{
    private const int CasesPerGenerator = 2000;

    public static TheoryData<string> GeneratorNames => new(TaskGenerators.All.Select(g => g.Name));

    [Theory(DisplayName = "Expected answer equals the interpreter's value")]
    [MemberData(nameof(GeneratorNames))]
    public void ExpectedMatchesInterpreter(string generatorName)
    {
        var generator = TaskGenerators.Get(generatorName);
        var seqLens = SeqLensFor(generator);
        for (int i = 0; i < CasesPerGenerator; i++)
        {
            int seqLen = seqLens[i % seqLens.Count];
            var rng = new DeterministicRng((ulong)i);
            var c = generator.Generate(seqLen, rng);
            string actual = PyInterpreter.Run(c.Program).Str(c.Metadata.QueryVariable);
            actual.Should().Be(c.Expected, "seed {0}, seqLen {1}, program:\n{2}", i, seqLen, c.Program);
        }
    }

    [Theory(DisplayName = "Programs end with a newline or the binding query and use only the query's variable set")]
    [MemberData(nameof(GeneratorNames))]
    public void ProgramsAreWellFormed(string generatorName)
    {
        var generator = TaskGenerators.Get(generatorName);
        for (int seed = 0; seed < 50; seed++)
        {
            var c = generator.Generate(SeqLensFor(generator)[seed % SeqLensFor(generator).Count], new DeterministicRng((ulong)seed));
            bool endsAsExpected = generatorName.StartsWith("variable_binding", StringComparison.Ordinal)
                ? c.Program.EndsWith($"#{c.Metadata.QueryVariable}: ", StringComparison.Ordinal)
                : c.Program.EndsWith('\n');
            endsAsExpected.Should().BeTrue(c.Program);
            c.Program.Should().NotContain("\t").And.NotContain("\r");
        }
    }

    /// <summary>Short lengths densely (where models are evaluated), plus the maximum to catch overflow.</summary>
    internal static IReadOnlyList<int> SeqLensFor(ITaskGenerator generator)
    {
        int min = generator is Debug.Core.Tasks.Generators.VariableBindingGenerator { Hops: int h } ? h : 1;
        var lens = Enumerable.Range(min, Math.Min(20, generator.MaxSeqLen) - min + 1).ToList();
        lens.Add(generator.MaxSeqLen);
        return lens;
    }
}
