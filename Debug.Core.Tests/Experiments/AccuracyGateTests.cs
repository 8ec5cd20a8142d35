using Debug.Core.Experiments;
using Debug.Core.Experiments.Gates;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>The gate rule (Wilson lower bound at or above the threshold) and its messages, on synthetic results.</summary>
public sealed class AccuracyGateTests
{
    private const string Json = """
        {
          "$comment": "test table",
          "thresholds": {
            "tiny": {
              "variable_binding": 0.7,
              "counter": { "default": 0.5, "by_seq_len": { "20": 0.2 }, "by_hops": { "4": 0.1 } },
              "fibonacci": null,
              "range_tracking": { "by_seq_len": { "5": 0.4 } },
              "variable_increments": { "by_seq_len": { "8": 0.8, "9": null } }
            },
            "Qwen/Qwen3-0.6B": { "range_tracking": 0.9 }
          }
        }
        """;

    private static readonly AccuracyGate Gate = new(ThresholdTable.Parse(Json, "thresholds.json"));

    private static List<CaseResult> Cases(int correct, int n, string experiment = "variable_binding", string model = "tiny") =>
        [.. Enumerable.Range(0, n).Select(i => new CaseResult
        {
            Experiment = experiment, Model = model, SeqLen = 5, Hops = 2, SeedId = i,
            Program = $"a = {i % 10}\nb = a\n#b: ", Prompt = "p", Expected = (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Predicted = i < correct ? (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : "x" + i,
            Correct = i < correct, RawOutput = i < correct ? $"{i % 10}\n" : $"wrong {i}\n",
        })];

    [Fact]
    public void Passes_when_the_lower_bound_reaches_the_threshold()
    {
        // 95/100: Wilson lower bound 88.8% >= 70%.
        var outcome = Gate.Evaluate("tiny", "variable_binding", 5, 2, Cases(95, 100));
        outcome.Status.Should().Be(GateStatus.Passed);
        outcome.Threshold.Should().Be(0.7);
        outcome.Message.Should().Contain("PASSED tiny / variable_binding seqLen=5 hops=2").And.Contain("n=100").And.Contain("95.0%");
    }

    [Fact]
    public void Fails_when_accuracy_is_above_the_threshold_but_the_lower_bound_is_not()
    {
        // 8/10 = 80% > 70%, but the Wilson interval is [49.0%, 94.3%]: not credible evidence of 70%.
        var outcome = Gate.Evaluate("tiny", "variable_binding", 5, 2, Cases(8, 10));
        outcome.Status.Should().Be(GateStatus.Failed);
        outcome.Message.Should().Contain("n=10").And.Contain("accuracy 80.0% (8/10)").And.Contain("[49.0%, 94.3%]")
            .And.Contain("threshold 70.0%");
    }

    [Fact]
    public void A_failure_shows_three_failing_examples_with_program_expected_and_raw_output()
    {
        var outcome = Gate.Evaluate("tiny", "variable_binding", 5, 2, Cases(2, 10));
        outcome.Status.Should().Be(GateStatus.Failed);
        outcome.Message.Should().Contain("First 3 failing case(s)");
        outcome.Message.Should().Contain("case 2 ").And.Contain("case 3 ").And.Contain("case 4 ").And.NotContain("case 5 ");
        outcome.Message.Should().Contain("a = 2\nb = a\n#b:").And.Contain("expected: 2").And.Contain("raw output: \"wrong 2\\n\"");
    }

    [Fact]
    public void Per_length_and_per_hops_entries_override_the_default()
    {
        var table = ThresholdTable.Parse(Json);
        table.Lookup("tiny", "counter", 20, 4).Should().Be((ThresholdState.Set, 0.2));
        table.Lookup("tiny", "counter", 5, 4).Should().Be((ThresholdState.Set, 0.1));
        table.Lookup("tiny", "counter", 5, null).Should().Be((ThresholdState.Set, 0.5));
    }

    [Fact]
    public void A_null_length_is_pending_while_the_other_lengths_stay_gated_or_uncovered()
    {
        var table = ThresholdTable.Parse(Json);
        table.Lookup("tiny", "variable_increments", 9, null).Should().Be((ThresholdState.Pending, (double?)null));
        table.Lookup("tiny", "variable_increments", 8, null).Should().Be((ThresholdState.Set, 0.8));
        table.Lookup("tiny", "variable_increments", 10, null).Should().Be((ThresholdState.Uncovered, (double?)null));
        Gate.Evaluate("tiny", "variable_increments", 9, null, Cases(0, 10, "variable_increments")).Status.Should().Be(GateStatus.NotGated);
    }

    [Fact]
    public void A_pending_entry_is_reported_not_gated_and_says_so()
    {
        var outcome = Gate.Evaluate("tiny", "fibonacci", 5, null, Cases(0, 10, "fibonacci"));
        outcome.Status.Should().Be(GateStatus.NotGated);
        outcome.Message.Should().StartWith("NOT GATED").And.Contain("pending").And.Contain("accuracy 0.0% (0/10)");
    }

    [Fact]
    public void An_unlisted_model_is_not_gated_but_an_unlisted_experiment_of_the_embedded_model_fails()
    {
        var other = Gate.Evaluate("Qwen/Qwen3-0.6B", "counter", 5, null, Cases(1, 10, "counter", "Qwen/Qwen3-0.6B"));
        other.Status.Should().Be(GateStatus.NotGated);
        other.Message.Should().Contain("lists no threshold");

        var embedded = Gate.Evaluate("tiny", "boolean_logic", 5, null, Cases(10, 10, "boolean_logic"));
        embedded.Status.Should().Be(GateStatus.Failed);
        embedded.Message.Should().Contain("must be listed");
    }

    [Fact]
    public void A_group_an_object_entry_does_not_cover_fails_for_the_embedded_model_only()
    {
        Gate.Evaluate("tiny", "range_tracking", 5, null, Cases(10, 10, "range_tracking")).Status.Should().Be(GateStatus.Passed);
        var uncovered = Gate.Evaluate("tiny", "range_tracking", 9, null, Cases(10, 10, "range_tracking"));
        uncovered.Status.Should().Be(GateStatus.Failed);
        uncovered.Message.Should().Contain("no threshold for this group");
        var lenient = new AccuracyGate(ThresholdTable.Parse(Json), requiredModels: []);
        lenient.Evaluate("tiny", "range_tracking", 9, null, Cases(10, 10, "range_tracking")).Status.Should().Be(GateStatus.NotGated);
    }

    [Fact]
    public void An_empty_group_with_a_threshold_fails()
    {
        Gate.Evaluate("tiny", "variable_binding", 5, 2, []).Status.Should().Be(GateStatus.Failed);
    }

    [Theory]
    [InlineData("""{ "thresholds": { "tiny": { "x": 1.5 } } }""", "thresholds.tiny.x")]
    [InlineData("""{ "thresholds": { "tiny": { "x": { "by_seq_len": { "five": 0.2 } } } } }""", "'five' is not an integer")]
    [InlineData("""{ "thresholds": { "tiny": { "x": { "minimum": 0.2 } } } }""", "unknown key 'minimum'")]
    [InlineData("""{ "models": {} }""", "\"thresholds\"")]
    public void Malformed_tables_are_rejected_with_the_entry_named(string json, string expected)
    {
        var act = () => ThresholdTable.Parse(json);
        act.Should().Throw<InvalidDataException>().WithMessage($"*{expected}*");
    }
}
