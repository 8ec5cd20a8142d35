using System.Collections.Immutable;
using Debug.Analyzers;
using FluentAssertions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Debug.Core.Tests.Runtime;

/// <summary>
/// The build-time guard against the Scalar use-after-free: the analyzer every project runs (DBG0001-DBG0003) must
/// reject each unsafe form and accept the safe ones, or the guard would pass code that crashes under a collection.
/// </summary>
public sealed class ScalarLifetimeAnalyzerTests
{
    [Theory(DisplayName = "Scalar guard: rejects the forms that leave a Scalar unreachable during a native call")]
    [InlineData("var y = a + b;", "DBG0002")]                               // alpha = 1 created inside TorchSharp
    [InlineData("var y = a * 2.0;", "DBG0002")]                             // operator with a number
    [InlineData("var y = a.add(b);", "DBG0002")]
    [InlineData("a.add_(b);", "DBG0002")]
    [InlineData("var y = torch.arange(10);", "DBG0001")]
    [InlineData("var y = a.masked_fill(a.gt(b), 0.0);", "DBG0001")]        // implicit double -> Scalar
    [InlineData("var y = a.pow(2);", "DBG0001")]
    [InlineData("var s = 2.0.ToScalar(); var y = a.mul(s);", "DBG0003")]    // a plain local can die before the call ends
    [InlineData("var y = a.mul(2.0.ToScalar());", "DBG0003")]
    public void RejectsUnsafeForms(string statement, string expected) =>
        Diagnose(statement).Should().Contain(expected, "'{0}' must not build", statement);

    [Theory(DisplayName = "Scalar guard: accepts using locals, static fields, tensor-tensor products and TensorMath")]
    [InlineData("using var s = 2.0.ToScalar(); var y = a.mul(s);")]
    [InlineData("using (var s = 2.0.ToScalar()) { var y = a.mul(s); }")]
    [InlineData("var y = a.mul(Two);")]
    [InlineData("var y = a * b - a / b;")]
    [InlineData("var y = a.Plus(b).Times(0.5).Minus(1.0).FillMasked(a.GreaterThan(0.0), 0.0).Power(2);")]
    [InlineData("var y = TensorMath.Range(0, 10);")]
    public void AcceptsSafeForms(string statement) =>
        Diagnose(statement).Should().BeEmpty("'{0}' keeps every Scalar alive", statement);

    private static IReadOnlyList<string> Diagnose(string statement)
    {
        var source = $$"""
            using Debug.Core;
            using TorchSharp;
            using static TorchSharp.torch;
            static class Snippet
            {
                private static readonly Scalar Two = 2.0.ToScalar();
                static void Run(Tensor a, Tensor b) { {{statement}} }
            }
            """;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(TensorMath).Assembly.Location));
        var compilation = CSharpCompilation.Create("snippet", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Should().BeEmpty("the snippet itself must compile");
        var analyzed = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ScalarLifetimeAnalyzer()));
        return analyzed.GetAnalyzerDiagnosticsAsync().Result.Select(d => d.Id).Distinct().ToList();
    }
}
