using Debug.Core;

// Benchmarks entry point: `dotnet run -c Release --project Debug.Benchmarks -- <name>`.
// Each benchmark prints medians and ratios measured in the same run and ends with one key=value line.
var name = args.Length > 0 ? args[0] : "";
switch (name)
{
    default:
        Console.Error.WriteLine($"Unknown benchmark '{name}'. Available: (none yet). libtorch {TorchRuntime.EnsureLoaded()}");
        return 2;
}
