using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Debug.Experiments.Infrastructure;

/// <summary>
/// A theory whose rows read <c>VariableBinding(model: tiny, seqLen: 5, hops: 2)</c> (no namespace, no quotes) and
/// carry a <c>Model</c> trait from their <c>model</c> argument, so <c>--filter Model=tiny</c> selects a model.
/// </summary>
[XunitTestCaseDiscoverer("Debug.Experiments.Infrastructure.ExperimentTheoryDiscoverer", "Debug.Experiments")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ExperimentTheoryAttribute : TheoryAttribute;

/// <summary>Creates one <see cref="ExperimentTestCase"/> per data row.</summary>
public sealed class ExperimentTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    /// <inheritdoc />
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions options,
        ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow) =>
        [new ExperimentTestCase(DiagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, dataRow)];
}

/// <summary>
/// One experiment group as a test: display name from parameter names and values, Model trait, and rows that can be
/// skipped at run time (<see cref="RowSkippedException"/>).
/// </summary>
public sealed class ExperimentTestCase : XunitTestCase
{
    /// <summary>For deserialization.</summary>
    [Obsolete("Called by the de-serializer", true)]
    public ExperimentTestCase() { }

    /// <summary>Creates the case.</summary>
    public ExperimentTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions,
        ITestMethod method, object[] args) : base(sink, display, displayOptions, method, args) { }

    /// <inheritdoc />
    protected override void Initialize()
    {
        base.Initialize();
        var parameters = TestMethod.Method.GetParameters().ToList();
        int modelIndex = parameters.FindIndex(p => p.Name == "model");
        if (modelIndex >= 0 && TestMethodArguments is { } args && modelIndex < args.Length && args[modelIndex] is string model)
            Traits["Model"] = [model];
    }

    /// <summary>Runs the row; a <see cref="RowSkippedException"/> makes it a skip (see there).</summary>
    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus,
        object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        var bus = new SkipRowMessageBus(messageBus);
        var summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        summary.Failed -= bus.Skipped;
        summary.Skipped += bus.Skipped;
        return summary;
    }

    /// <inheritdoc />
    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName)
    {
        var names = TestMethod.Method.GetParameters().Select(p => p.Name).ToList();
        var args = TestMethodArguments ?? [];
        return $"{TestMethod.Method.Name}({string.Join(", ", args.Select((a, i) => $"{(i < names.Count ? names[i] : "arg" + i)}: {a}"))})";
    }
}
