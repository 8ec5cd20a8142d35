using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Debug.Analyzers;

/// <summary>
/// Keeps TorchSharp's <c>Scalar</c> use-after-free out of the code base. A <c>Scalar</c> owns native memory that its
/// finalizer frees. TorchSharp passes only the handle to native code, so a Scalar that no managed code reads after
/// the call (an implicit conversion such as <c>t.mul(2.0)</c>, the <c>alpha = 1</c> that <c>a + b</c> creates inside
/// TorchSharp, <c>t.mul(2.0.ToScalar())</c>) can be finalized by a collection on another thread while the native
/// call still reads it: a crash in <c>toFloat</c> at best, a silently wrong number at worst.
/// <list type="bullet">
/// <item>DBG0001: an implicit conversion to <c>Scalar</c>.</item>
/// <item>DBG0002: a TorchSharp member that creates such a Scalar inside its own body (list generated from
/// TorchSharp's source, <c>TorchSharpImplicitScalarMembers.txt</c>), e.g. tensor <c>+</c>, <c>tensor * 2</c>.</item>
/// <item>DBG0003: a Scalar argument that is neither a <c>using</c> local nor a static readonly field, the two
/// forms that are provably alive until the call returns.</item>
/// </list>
/// The safe forms are in <c>Debug.Core.TensorMath</c>.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class ScalarLifetimeAnalyzer : DiagnosticAnalyzer
{
    private const string Help = "Use Debug.Core.TensorMath (Plus, Minus, Times, Over, FillMasked, ...) or a `using var s = value.ToScalar();` local.";

    internal static readonly DiagnosticDescriptor ImplicitScalar = new(
        "DBG0001", "Implicit TorchSharp Scalar",
        "Implicit conversion of '{0}' to TorchSharp.Scalar: the Scalar can be finalized while native code reads it. " + Help,
        "Reliability", DiagnosticSeverity.Error, isEnabledByDefault: true);

    internal static readonly DiagnosticDescriptor ScalarCreatingMember = new(
        "DBG0002", "TorchSharp member that creates an unreachable Scalar",
        "'{0}' creates a Scalar inside TorchSharp that can be finalized while native code reads it. " + Help,
        "Reliability", DiagnosticSeverity.Error, isEnabledByDefault: true);

    internal static readonly DiagnosticDescriptor UnrootedScalar = new(
        "DBG0003", "Scalar argument not kept alive",
        "Scalar argument '{0}' is not a `using` local or a static readonly field, so nothing keeps it alive during the native call. " + Help,
        "Reliability", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly ImmutableHashSet<string> DeniedMembers = LoadDeniedMembers();

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics =>
        ImmutableArray.Create(ImplicitScalar, ScalarCreatingMember, UnrootedScalar);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null) return; // the project does not use TorchSharp
            start.RegisterOperationAction(c => AnalyzeConversion(c, scalar), OperationKind.Conversion);
            start.RegisterOperationAction(c => AnalyzeMember(c), OperationKind.Invocation, OperationKind.Binary,
                OperationKind.Unary, OperationKind.CompoundAssignment, OperationKind.PropertyReference);
            start.RegisterOperationAction(c => AnalyzeArgument(c, scalar), OperationKind.Argument);
        });
    }

    private static void AnalyzeConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (conversion.OperatorMethod is null || !SymbolEqualityComparer.Default.Equals(conversion.Type, scalar)) return;
        if (!conversion.IsImplicit && !conversion.Conversion.IsImplicit) return;
        context.ReportDiagnostic(Diagnostic.Create(ImplicitScalar, conversion.Syntax.GetLocation(),
            conversion.Operand.Type?.ToDisplayString() ?? conversion.Operand.Syntax.ToString()));
    }

    private static void AnalyzeMember(OperationAnalysisContext context)
    {
        ISymbol? member = context.Operation switch
        {
            IInvocationOperation i => i.TargetMethod,
            IBinaryOperation b => b.OperatorMethod,
            IUnaryOperation u => u.OperatorMethod,
            ICompoundAssignmentOperation a => a.OperatorMethod,
            IPropertyReferenceOperation p => p.Property,
            _ => null,
        };
        if (member is null) return;
        var id = member.OriginalDefinition.GetDocumentationCommentId();
        if (id is null || !DeniedMembers.Contains(id)) return;
        context.ReportDiagnostic(Diagnostic.Create(ScalarCreatingMember, context.Operation.Syntax.GetLocation(),
            member.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
    }

    private static void AnalyzeArgument(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.Parameter is null || !IsScalar(argument.Parameter.Type, scalar)) return;
        var value = argument.Value;
        while (value is IConversionOperation { OperatorMethod: null } c) value = c.Operand; // Scalar -> Scalar?
        if (value is IConversionOperation { OperatorMethod: not null }) return; // reported as DBG0001
        if (value is ILiteralOperation or IDefaultValueOperation) return;       // null: no Scalar at all
        if (argument.ArgumentKind == ArgumentKind.DefaultValue) return;
        if (value is ILocalReferenceOperation local && IsUsingLocal(local.Local)) return;
        if (value is IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } }) return;
        context.ReportDiagnostic(Diagnostic.Create(UnrootedScalar, argument.Value.Syntax.GetLocation(), argument.Value.Syntax.ToString()));
    }

    private static bool IsScalar(ITypeSymbol type, INamedTypeSymbol scalar) =>
        SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), scalar);

    private static bool IsUsingLocal(ILocalSymbol local) =>
        local.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).Any(s =>
            s.Parent is VariableDeclarationSyntax declaration &&
            (declaration.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } ||
             declaration.Parent is UsingStatementSyntax));

    private static ImmutableHashSet<string> LoadDeniedMembers()
    {
        using var stream = typeof(ScalarLifetimeAnalyzer).Assembly.GetManifestResourceStream("TorchSharpImplicitScalarMembers.txt")
            ?? throw new FileNotFoundException("embedded TorchSharpImplicitScalarMembers.txt");
        using var reader = new StreamReader(stream);
        var ids = new List<string>();
        for (string? line; (line = reader.ReadLine()) is not null;)
            if (line.Length > 0 && line[0] != '#') ids.Add(line.Trim());
        return ids.ToImmutableHashSet();
    }
}
