using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Tests.Interpreter;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tasks;

public class VariableBindingCounterfactualTests
{
    [Theory(DisplayName = "Flipping the root changes the answer and only the root literal")]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void FlipsRoot(int hops)
    {
        var generator = hops == 0 ? new VariableBindingGenerator() : new VariableBindingGenerator(hops);
        for (int seed = 0; seed < 500; seed++)
        {
            var rng = new DeterministicRng((ulong)seed);
            var original = generator.Generate(Math.Max(hops, 1) + seed % 10, rng);
            var pair = VariableBindingCounterfactual.FlipRoot(original.Program, rng);
            string cf = pair.Counterfactual.Program;

            pair.Counterfactual.Expected.Should().NotBe(original.Expected);
            PyInterpreter.Run(cf).Str(original.Metadata.QueryVariable).Should().Be(pair.Counterfactual.Expected);
            cf.Length.Should().Be(original.Program.Length);
            var span = pair.ChangedSpans.Should().ContainSingle().Subject;
            span.Should().Be(((VariableBindingMetadata)original.Metadata).RootSpan);
            var differing = Enumerable.Range(0, cf.Length).Where(i => cf[i] != original.Program[i]).ToList();
            differing.Should().Equal(Enumerable.Range(span.Start, span.Length));

            var m = (VariableBindingMetadata)pair.Counterfactual.Metadata;
            var o = (VariableBindingMetadata)original.Metadata;
            m.Chain.Should().Equal(o.Chain);
            m.Links.Should().Equal(o.Links);
            m.QueryVariableSpan.Should().Be(o.QueryVariableSpan);
        }
    }

    [Fact(DisplayName = "A chosen replacement value is used as given")]
    public void ExplicitValue()
    {
        var pair = VariableBindingCounterfactual.FlipRoot("a = 3\nb = 1\nc = a\n#c: ", 7);
        pair.Counterfactual.Program.Should().Be("a = 7\nb = 1\nc = a\n#c: ");
        pair.Original.Expected.Should().Be("3");
        pair.Counterfactual.Expected.Should().Be("7");
        pair.ChangedSpans.Should().Equal(new CharSpan(4, 5));
    }

    [Fact(DisplayName = "Same-value, different-width and rootless flips are rejected")]
    public void Rejects()
    {
        FluentActions.Invoking(() => VariableBindingCounterfactual.FlipRoot("a = 3\n#a: ", 3))
            .Should().Throw<ArgumentException>().WithParameterName("newRootValue");
        FluentActions.Invoking(() => VariableBindingCounterfactual.FlipRoot("a = 3\n#a: ", 42))
            .Should().Throw<ArgumentException>().WithParameterName("newRootValue");
        FluentActions.Invoking(() => VariableBindingCounterfactual.FlipRoot("a = b\nb = a\n#a: ", new DeterministicRng(0)))
            .Should().Throw<BindingChainException>().Which.Error.Should().Be(BindingChainError.Circular);
        FluentActions.Invoking(() => VariableBindingCounterfactual.FlipRoot("b = a\n#b: ", 1))
            .Should().Throw<BindingChainException>().Which.Error.Should().Be(BindingChainError.NoRoot);
    }
}
