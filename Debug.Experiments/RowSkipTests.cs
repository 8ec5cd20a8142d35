using Debug.Experiments.Infrastructure;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Debug.Experiments;

/// <summary>
/// A row that throws <see cref="RowSkippedException"/> is reported as skipped with its reason; every other failure
/// still reaches the runner as a failure.
/// </summary>
[Trait("Category", "Consistency")]
public sealed class RowSkipTests
{
    [Fact(DisplayName = "A RowSkippedException turns the row's failure into a skip with the reason")]
    public void SkipExceptionBecomesSkip()
    {
        var inner = new RecordingBus();
        using var bus = new SkipRowMessageBus(inner);
        var test = FakeTest("TracingExperiment.ResidualPatching(model: m, hops: 3, lines: 17, seedRank: 2)");
        bus.QueueMessage(new TestFailed(test, 0.1m, "", new RowSkippedException("m answers only 1 of 200 programs")));

        var skipped = inner.Messages.Should().ContainSingle().Which.Should().BeAssignableTo<ITestSkipped>().Subject;
        skipped.Reason.Should().Be("m answers only 1 of 200 programs");
        skipped.Test.Should().BeSameAs(test);
        bus.Skipped.Should().Be(1);
    }

    [Fact(DisplayName = "Any other exception still fails the row")]
    public void OtherFailuresPassThrough()
    {
        var inner = new RecordingBus();
        using var bus = new SkipRowMessageBus(inner);
        var failed = new TestFailed(FakeTest("row"), 0.1m, "", new InvalidOperationException("real failure"));
        bus.QueueMessage(failed);

        inner.Messages.Should().ContainSingle().Which.Should().BeSameAs(failed);
        bus.Skipped.Should().Be(0);
    }

    private sealed class RecordingBus : IMessageBus
    {
        public List<IMessageSinkMessage> Messages { get; } = [];

        public bool QueueMessage(IMessageSinkMessage message)
        {
            Messages.Add(message);
            return true;
        }

        public void Dispose() { }
    }

    // A real xUnit test object for this class's own method: TestFailed reads the test case, method and collection.
    private static ITest FakeTest(string displayName)
    {
        var assembly = new TestAssembly(Reflector.Wrap(typeof(RowSkipTests).Assembly));
        var collection = new TestCollection(assembly, null, "rows");
        var testClass = new TestClass(collection, Reflector.Wrap(typeof(RowSkipTests)));
        var method = new TestMethod(testClass, Reflector.Wrap(typeof(RowSkipTests).GetMethod(nameof(SkipExceptionBecomesSkip))!));
        var testCase = new XunitTestCase(new NullMessageSink(), TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, method);
        return new XunitTest(testCase, displayName);
    }
}
