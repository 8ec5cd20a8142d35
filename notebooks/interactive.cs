#:project ../Debug.Core/Debug.Core.csproj
// Interactive use, as the Python framework's Jupyter section: load a model once, run several experiments on the
// cached model, then free it. Run from the clone's root: dotnet run notebooks/interactive.cs
// (a file-based app rather than a Polyglot notebook: see notebooks/README.md for why).
using Debug.Core.Experiments;

using var runner = new ExperimentRunner();

// Preload once (the slow part with a real checkpoint); every run below takes the model from the cache.
var load = System.Diagnostics.Stopwatch.StartNew();
runner.Preload("tiny");
Console.WriteLine($"preloaded {string.Join(", ", runner.ListLoaded())} in {load.Elapsed.TotalSeconds:F2} s");

// Two experiments on the cached model: variable binding at two referential depths.
foreach (int hops in new[] { 1, 3 })
{
    var config = ExperimentConfig.Quick($"interactive_binding_hops{hops}", "variable_binding", "variable_binding",
        n: 20, seqLens: [10], models: ["tiny"], hops: [hops], maxNewTokens: 4);
    var result = runner.Run(config);
    Console.WriteLine($"{config.Name}: {result.Summary.Overall} in {result.InferenceTime.TotalSeconds:F2} s -> {result.OutputFolder}");
}

// See what is loaded, free one model, or everything.
Console.WriteLine($"loaded: {string.Join(", ", runner.ListLoaded())}");
Console.WriteLine($"unloaded tiny: {runner.Unload("tiny")}");
runner.UnloadAll();
Console.WriteLine($"loaded after unloading: {runner.ListLoaded().Count}");
