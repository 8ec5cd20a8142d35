using System.Reflection;
using Debug.Benchmarks;
using Debug.Core;

// `dotnet run -c Release --project Debug.Benchmarks -- <name> [options]`
var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var name = args.Length > 0 ? args[0] : "";
var chosen = benchmarks.FirstOrDefault(b => b.Name == name);
if (chosen is null)
{
    Console.Error.WriteLine(name.Length == 0 ? "Name a benchmark." : $"Unknown benchmark '{name}'.");
    Console.Error.WriteLine("Available:");
    foreach (var b in benchmarks) Console.Error.WriteLine($"  {b.Name,-12} {b.Description}");
    return 2;
}
Console.WriteLine($"libtorch {TorchRuntime.EnsureLoaded()}, {Environment.ProcessorCount} cores");
return chosen.Run(args[1..]);
