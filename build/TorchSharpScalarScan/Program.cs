// Lists TorchSharp members that create a Scalar from a .NET number in their own body (or call one that does):
// the deny list of the DBG0002 analyzer. Usage in README.md.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
var files = Directory.GetFiles(args[0], "*.cs", SearchOption.AllDirectories);
var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: new[]{"NET6_0_OR_GREATER","NET8_0_OR_GREATER","NETCOREAPP"}), f)).ToList();
var refs = Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll").Where(p => !p.Contains("Native")).Select(p => { try { return MetadataReference.CreateFromFile(p); } catch { return null; } }).Where(r => r != null).Cast<MetadataReference>();
var comp = CSharpCompilation.Create("ts", trees, refs, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
var scalar = comp.GetTypeByMetadataName("TorchSharp.Scalar");
var results = new SortedSet<string>();
var direct = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
var calls = new Dictionary<ISymbol, HashSet<ISymbol>>(SymbolEqualityComparer.Default);
foreach (var tree in trees) {
  var model = comp.GetSemanticModel(tree);
  foreach (var member in tree.GetRoot().DescendantNodes().Where(a => a is BaseMethodDeclarationSyntax || a is PropertyDeclarationSyntax)) {
    var sym = model.GetDeclaredSymbol(member);
    if (sym == null) continue;
    var bodies = member.ChildNodes().Where(c => c is BlockSyntax || c is ArrowExpressionClauseSyntax || c is AccessorListSyntax);
    foreach (var b in bodies.SelectMany(b => b.DescendantNodesAndSelf().OfType<BlockSyntax>().Cast<SyntaxNode>().Concat(b is ArrowExpressionClauseSyntax ? new[]{b} : Array.Empty<SyntaxNode>()))) {
      var root = model.GetOperation(b);
      if (root == null) continue;
      if (!calls.TryGetValue(sym, out var set)) calls[sym] = set = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
      foreach (var o in root.DescendantsAndSelf()) {
        ISymbol t = o switch { IInvocationOperation i => i.TargetMethod.OriginalDefinition, IBinaryOperation bo => bo.OperatorMethod?.OriginalDefinition, IUnaryOperation u => u.OperatorMethod?.OriginalDefinition, IPropertyReferenceOperation pr => pr.Property.OriginalDefinition, IObjectCreationOperation oc => oc.Constructor?.OriginalDefinition, ICompoundAssignmentOperation ca => ca.OperatorMethod?.OriginalDefinition, _ => null };
        if (t != null) set.Add(t);
      }
      foreach (var op in root.DescendantsAndSelf().OfType<IConversionOperation>()) {
        if (!op.IsImplicit || op.OperatorMethod == null) continue;
        if (!SymbolEqualityComparer.Default.Equals(op.Type, scalar)) continue;
        direct.Add(sym);
      }
    }
  }
}

var unsafeSet = new HashSet<ISymbol>(direct, SymbolEqualityComparer.Default);
bool changed = true;
while (changed) { changed = false; foreach (var kv in calls) if (!unsafeSet.Contains(kv.Key) && kv.Value.Any(unsafeSet.Contains)) { unsafeSet.Add(kv.Key); changed = true; } }
bool IsPublic(ISymbol x) { for (var c = x; c != null && c is not INamespaceSymbol; c = c.ContainingSymbol) if (c.DeclaredAccessibility != Accessibility.Public) return false; return true; }
foreach (var x in unsafeSet.Where(IsPublic)) results.Add(x.GetDocumentationCommentId() + "\t" + (direct.Contains(x) ? "direct" : "indirect"));
foreach (var r in results) Console.WriteLine(r);
