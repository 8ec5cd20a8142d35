using Debug.Core.Experiments;
using Debug.Core.Prompts;
using Debug.Core.Tasks.Generators;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>Config construction, validation, grouping and case seeds.</summary>
public sealed class ExperimentConfigTests
{
    [Fact]
    public void Quick_resolves_names_and_picks_the_parser_that_fits_the_generator()
    {
        var c = ExperimentConfig.Quick("bools", "boolean_logic", "boolean_logic", n: 7, seqLens: [2, 4]);
        c.Template.Should().BeSameAs(PromptTemplates.BooleanLogic);
        c.Parser.Should().BeSameAs(AnswerParser.Boolean);
        c.Models.Should().Equal("tiny");
        c.SequencesPerLength.Should().Be(7);
        ExperimentConfig.Quick("b", "variable_binding", "variable_binding").Parser.Should().BeSameAs(AnswerParser.VariableBinding);
        ExperimentConfig.Quick("c", "minimal", "counter").Parser.Should().BeSameAs(AnswerParser.Integer);
    }

    [Fact]
    public void Hops_groups_skip_pairs_where_hops_exceed_the_length()
    {
        var c = ExperimentConfig.Quick("h", PromptTemplates.VariableBinding, new VariableBindingGenerator(), seqLens: [2, 5], hops: [1, 3]);
        c.Groups().Should().Equal((2, (int?)1), (5, 1), (5, 3));
        c.GeneratorFor(3).Name.Should().Be("variable_binding_hops3");
    }

    [Theory]
    [InlineData(0, 5, null, "SequencesPerLength")]
    [InlineData(5, 27, null, "seqLen 27 is outside 1..26")]
    [InlineData(5, 5, 5, "hops 5 is outside 1..4")]
    public void Validation_names_the_bad_setting(int n, int seqLen, int? hops, string message)
    {
        var act = () => ExperimentConfig.Quick("v", PromptTemplates.VariableBinding, new VariableBindingGenerator(), n,
            seqLens: [seqLen], hops: hops is int h ? [h] : null);
        act.Should().Throw<ArgumentException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Hops_on_a_generator_without_them_are_rejected()
    {
        var act = () => ExperimentConfig.Quick("c", PromptTemplates.Minimal, new CounterGenerator(), hops: [2]);
        act.Should().Throw<ArgumentException>().WithMessage("*only defined for variable binding*");
    }

    [Fact]
    public void Case_seeds_are_fixed_and_distinct()
    {
        CaseSeeds.For(0, 0).Should().Be(CaseSeeds.For(0, 0));
        var seeds = Enumerable.Range(0, 1000).SelectMany(i => new[] { CaseSeeds.For(0, i), CaseSeeds.For(1, i) }).ToList();
        seeds.Distinct().Should().HaveCount(2000);
        CaseSeeds.For(0, 1).Should().NotBe(CaseSeeds.For(1, 0));
    }

    [Theory]
    [InlineData(" 42\n", "42")]
    [InlineData("The answer is -7.", "-7")]
    [InlineData("", null)]
    public void The_integer_parser_gives_pythons_str(string completion, string? expected) =>
        AnswerParser.Integer.Parse(completion).Should().Be(expected);

    [Theory]
    [InlineData(" True\n", "True")]
    [InlineData(" false", "False")]
    [InlineData(" maybe", null)]
    public void The_boolean_parser_gives_pythons_str(string completion, string? expected) =>
        AnswerParser.Boolean.Parse(completion).Should().Be(expected);

    [Theory]
    [InlineData("3\n", "3")]
    [InlineData("3333", "3")]
    [InlineData(" The value is 7.", "7")]
    [InlineData("x\n", null)]
    public void The_binding_parser_reads_the_first_digit(string completion, string? expected) =>
        AnswerParser.VariableBinding.Parse(completion).Should().Be(expected);
}
