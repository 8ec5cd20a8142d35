#:project ../Debug.Core/Debug.Core.csproj
#:property PublishAot=false
// (Debug serializes results with reflection-based System.Text.Json, which native AOT, the file-based default, turns off.)
// The README's quick start as a .NET 10 file-based app. From the repository root:
//     dotnet run examples/quick_start.cs
// Generates a seeded variable-binding program, asks the embedded model (models/tiny) for the value, and checks it.
using Debug.Core.Model;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Training;

var rng = new DeterministicRng(seed: 0);
var generator = new VariableBindingGenerator();
var task = generator.Generate(seqLen: 5, rng);
Console.WriteLine(task.Program);                  // a = 5\nb = a\n...\n#c:
Console.WriteLine($"expected: {task.Expected}");  // the digit Python would give

using var model = CausalLanguageModel.Load("models/tiny");           // or any HF checkpoint folder
var next = BindingEvaluation.PredictNextToken(model, [task.Program], batchSize: 1)[0];
Console.WriteLine($"tiny answers: {(char)next}");  // its vocabulary is one token per byte
return ((char)next).ToString() == task.Expected ? 0 : 1;
