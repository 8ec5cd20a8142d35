using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using TorchSharp;

namespace Debug.Core.Native;

/// <summary>
/// Lets TorchSharp load on systems whose libstdc++ lacks GLIBCXX_3.4.32 (Debian 12) when the consumer's build did
/// not patch its copy of libLibTorchSharp.so: a project that references Debug.Core's project from another folder
/// never runs this repository's build targets. When the normal load fails and the loader names that version, a
/// copy with the requirement marked weak (see <c>build/WeakenGlibcxxRequirement.cs</c>) is written to a cache
/// folder and loaded instead; the original file (which may live in the NuGet cache) is never modified. Any other
/// failure is left alone, so TorchSharp's own message reaches the user.
/// </summary>
internal static class LibTorchSharpFallback
{
    /// <summary>The only version the library needs that Debian 12's libstdc++ (3.4.30) lacks.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    private const string FileName = "libLibTorchSharp.so";
    private static readonly Lock Gate = new();
    private static bool _registered, _tried;
    private static IntPtr _handle;

    /// <summary>What the fallback did, once it acted (also written once to standard error); null otherwise.</summary>
    public static string? Notice { get; private set; }

    /// <summary>Hooks the fallback into the load context of TorchSharp (idempotent; Linux only).</summary>
    public static void Register()
    {
        if (!OperatingSystem.IsLinux()) return;
        lock (Gate)
        {
            if (_registered) return;
            _registered = true;
        }
        var context = AssemblyLoadContext.GetLoadContext(typeof(torch).Assembly) ?? AssemblyLoadContext.Default;
        // Raised only after every normal probe failed, so a correctly patched or compatible library is never touched.
        context.ResolvingUnmanagedDll += Resolve;
    }

    /// <summary>
    /// The cache folder of patched copies: <c>DEBUG_NATIVE_CACHE</c>, else <c>$XDG_CACHE_HOME/debug/native</c>,
    /// else <c>~/.cache/debug/native</c>.
    /// </summary>
    public static string CacheRoot()
    {
        var explicitRoot = Environment.GetEnvironmentVariable("DEBUG_NATIVE_CACHE");
        if (!string.IsNullOrEmpty(explicitRoot)) return Path.GetFullPath(explicitRoot);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "debug", "native");
    }

    /// <summary>
    /// Returns a copy of <paramref name="original"/> with the <see cref="MissingVersion"/> requirement weak, under
    /// <paramref name="cacheRoot"/>/&lt;hash of the original&gt;/; reuses it when it is already there. Written through a
    /// temp file and a rename, so concurrent processes never see half a file.
    /// </summary>
    /// <exception cref="InvalidDataException">The original is not an ELF64 file or does not require the version.</exception>
    public static string PatchedCopy(string original, string cacheRoot)
    {
        byte[] elf = File.ReadAllBytes(original);
        string key = Convert.ToHexStringLower(SHA256.HashData(elf))[..16];
        string folder = Path.Combine(cacheRoot, key);
        string target = Path.Combine(folder, FileName);
        if (File.Exists(target)) return target;
        if (GlibcxxVersionPatch.Weaken(elf, MissingVersion) < 0)
            throw new InvalidDataException($"{original} has no strong requirement on {MissingVersion}; nothing to patch.");
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $"{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temp, elf);
        File.Move(temp, target, overwrite: true);
        return target;
    }

    private static IntPtr Resolve(Assembly assembly, string name)
    {
        if (assembly != typeof(torch).Assembly || !IsLibTorchSharp(name)) return IntPtr.Zero;
        lock (Gate)
        {
            if (_handle != IntPtr.Zero || _tried) return _handle;
            _tried = true;
            _handle = LoadPatched(assembly);
            return _handle;
        }
    }

    private static bool IsLibTorchSharp(string name) =>
        name is "LibTorchSharp" or "libLibTorchSharp" or FileName || Path.GetFileName(name) == FileName;

    private static IntPtr LoadPatched(Assembly torchAssembly)
    {
        var original = FindOriginal(torchAssembly);
        if (original is null) return IntPtr.Zero;
        // Load libtorch.so and friends from where the runtime finds them first (next to the app, or through a
        // notebook kernel's package resolver): the original's $ORIGIN run path may not reach them (the natives are
        // split over two packages in the NuGet cache), and the copy's never does; both then bind to them by soname.
        foreach (var dependency in new[] { "c10", "torch_cpu", "torch" })
            NativeLibrary.TryLoad(dependency, torchAssembly, null, out _);
        try
        {
            return NativeLibrary.Load(original);
        }
        catch (DllNotFoundException e) when (e.Message.Contains(MissingVersion, StringComparison.Ordinal))
        {
            // The one failure this class is for; anything else keeps TorchSharp's message.
        }
        catch (DllNotFoundException)
        {
            return IntPtr.Zero;
        }
        try
        {
            string patched = PatchedCopy(original, CacheRoot());
            var handle = NativeLibrary.Load(patched);
            Notice = $"Debug: {original} needs {MissingVersion}, which this system's libstdc++ lacks; loaded a copy with " +
                $"that requirement marked weak from {patched} (the original is unchanged).";
            Console.Error.WriteLine(Notice);
            return handle;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DllNotFoundException)
        {
            Console.Error.WriteLine($"Debug: could not load a patched copy of {original} ({e.Message}); TorchSharp's own error follows.");
            return IntPtr.Zero;
        }
    }

    // Where the runtime looks for the natives: the app's native search folders (from its deps.json), then next to
    // TorchSharp.dll and the app, with and without the runtimes/<rid>/native layout of portable builds.
    private static string? FindOriginal(Assembly torchAssembly)
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string search)
            folders.AddRange(search.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        var rid = "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
#pragma warning disable IL3000 // Location is empty in a single-file app; the loop then skips it.
        string torchFolder = Path.GetDirectoryName(torchAssembly.Location) ?? "";
#pragma warning restore IL3000
        foreach (var baseFolder in new[] { torchFolder, AppContext.BaseDirectory })
        {
            if (string.IsNullOrEmpty(baseFolder)) continue;
            folders.Add(baseFolder);
            folders.Add(Path.Combine(baseFolder, "runtimes", rid, "native"));
            // In the NuGet cache TorchSharp.dll sits in lib/<tfm>/ and the natives in runtimes/<rid>/native/.
            folders.Add(Path.Combine(baseFolder, "..", "..", "runtimes", rid, "native"));
        }
        return folders.Select(f => Path.Combine(f, FileName)).FirstOrDefault(File.Exists) is { } found ? Path.GetFullPath(found) : null;
    }
}
