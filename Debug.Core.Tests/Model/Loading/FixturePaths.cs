namespace Debug.Core.Tests.Model.Loading;

/// <summary>Locations of the reference fixtures copied next to the test assembly.</summary>
internal static class FixturePaths
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");
    public static string HfReference => Path.Combine(Root, "hf-reference");
    public static string Model(string arch, string variant = "model") => Path.Combine(HfReference, arch, variant);
    public static readonly string[] Architectures = ["qwen3", "qwen2", "llama", "gpt2", "gemma2"];

    /// <summary>A fresh temp folder that is deleted when disposed.</summary>
    public static TempFolder Temp() => new();

    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "debug-tests-" + Guid.NewGuid().ToString("N"));
        public TempFolder() => Directory.CreateDirectory(Path);
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose()
        {
            foreach (var f in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)) System.IO.File.SetAttributes(f, FileAttributes.Normal);
            Directory.Delete(Path, recursive: true);
        }
    }
}
