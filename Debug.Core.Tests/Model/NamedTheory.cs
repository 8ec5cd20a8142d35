using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Debug.Core.Tests.Model;

/// <summary>
/// A theory whose cases are displayed as <c>Method(argument)</c>, e.g. <c>Conformance(qwen3: single.logits)</c>,
/// instead of xunit's <c>Namespace.Class.Method(name: "argument")</c>.
/// </summary>
[XunitTestCaseDiscoverer("Debug.Core.Tests.Model.NamedTheoryDiscoverer", "Debug.Core.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class NamedTheoryAttribute : TheoryAttribute;

/// <summary>Creates one <see cref="NamedTestCase"/> per data row.</summary>
public sealed class NamedTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    /// <inheritdoc />
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions options,
        ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow) =>
        [new NamedTestCase(DiagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, dataRow)];
}

/// <summary>A data row displayed as Method(args).</summary>
public sealed class NamedTestCase : XunitTestCase
{
    /// <summary>For deserialization.</summary>
    [Obsolete("Called by the de-serializer", true)]
    public NamedTestCase() { }

    /// <summary>Creates the case.</summary>
    public NamedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions,
        ITestMethod method, object[] args) : base(sink, display, displayOptions, method, args) { }

    /// <inheritdoc />
    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName) =>
        $"{TestMethod.Method.Name}({string.Join(", ", TestMethodArguments ?? [])})";
}
