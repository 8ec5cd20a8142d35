#:project ../Debug.Core/Debug.Core.csproj
#:property PublishAot=false
// (Debug serializes results with reflection-based System.Text.Json, which native AOT, the file-based default, turns off.)
// Tracing one counterfactual pair, as in the README. From the repository root:
//     dotnet run examples/trace_one_pair.cs [results-root]
// Builds a 2-hop program and its root-flipped twin, sweeps resid_pre over every token and layer with the fast engine,
// prints the effect of patching the root literal's embedding, and writes the records and heatmap to a run folder.
using Debug.Core.Experiments.Tracing;
using Debug.Core.Interventions;
using Debug.Core.Model;
using Debug.Core.Reports;
using Debug.Core.Tokenization;

using var model = CausalLanguageModel.Load("models/tiny");
var tokenizer = ModelTokenizer.FromFolder("models/tiny");
var pair = BindingTracingCase.Create(tokenizer, hops: 2, lines: 5, seed: 0);   // a program and its root-flipped twin
var cells = PatchCell.Grid(PatchKind.ResidPre, model.NumLayers, Enumerable.Range(0, pair.Pair.Length));
using var sweep = PatchSweep.Run(model, pair.Pair, cells);                     // every token x layer, fast engine
double effect = sweep[new PatchCell(PatchKind.ResidPre, 0, pair.Root)].NormalizedEffect;
Console.WriteLine($"{pair}: patching the root literal's embedding: normalised effect {effect:F3}");   // 1: the root carries the answer

var run = RunFolder.Create("examples/trace_one_pair.cs", args.Length > 0 ? args[0] : null);
var folder = TracingResults.CreateRunFolder(run.Path, "my_trace", DateTime.UtcNow);
TracingResults.WriteSweep(folder, sweep, TracingContext.For("tiny", pair, tokenizer), model.NumLayers, model.NumHeads);
run.AddModel("tiny");
run.Complete();
Console.WriteLine($"page: {Path.Combine(run.Path, RunFolder.IndexFile)}");
return Math.Abs(effect - 1) < 1e-6 ? 0 : 1;
