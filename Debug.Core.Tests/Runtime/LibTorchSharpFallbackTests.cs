using System.Security.Cryptography;
using Debug.Core.Native;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Runtime;

/// <summary>
/// The run-time patch of libLibTorchSharp.so for libstdc++ without GLIBCXX_3.4.32: it writes a patched copy to a
/// cache folder and never touches the original (the end-to-end load from an unpatched consumer is run by
/// <c>.ci/outside</c>).
/// </summary>
public sealed class LibTorchSharpFallbackTests : IDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "debug-native-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
    }

    [Fact(DisplayName = "The patched copy lands in the cache folder with the version weak, the original byte-for-byte unchanged")]
    public void PatchedCopyLeavesOriginalAlone()
    {
        string original = NuGetOriginal();
        byte[] before = File.ReadAllBytes(original);
        GlibcxxVersionPatch.RequiresStrongly(before, LibTorchSharpFallback.MissingVersion).Should().BeTrue("TorchSharp 0.107.0 ships the strong requirement");

        string copy = LibTorchSharpFallback.PatchedCopy(original, _cache);

        copy.Should().StartWith(_cache);
        File.ReadAllBytes(original).Should().Equal(before, "the NuGet cache's file is never modified");
        byte[] patched = File.ReadAllBytes(copy);
        patched.Length.Should().Be(before.Length);
        GlibcxxVersionPatch.RequiresStrongly(patched, LibTorchSharpFallback.MissingVersion).Should().BeFalse();
        Enumerable.Range(0, before.Length).Count(i => before[i] != patched[i]).Should().BeInRange(1, 2, "only the flags half-word of one entry changes");
        Directory.GetFiles(Path.GetDirectoryName(copy)!).Should().ContainSingle("no temp file is left behind");
    }

    [Fact(DisplayName = "A second request reuses the cached copy instead of writing it again")]
    public void CopyIsReused()
    {
        string original = NuGetOriginal();
        string first = LibTorchSharpFallback.PatchedCopy(original, _cache);
        var written = File.GetLastWriteTimeUtc(first);
        string second = LibTorchSharpFallback.PatchedCopy(original, _cache);
        second.Should().Be(first);
        File.GetLastWriteTimeUtc(second).Should().Be(written);
    }

    [Fact(DisplayName = "A library without the strong requirement is refused with a typed error naming it")]
    public void NothingToPatchIsRefused()
    {
        string original = NuGetOriginal();
        string copy = LibTorchSharpFallback.PatchedCopy(original, _cache);
        var again = () => LibTorchSharpFallback.PatchedCopy(copy, Path.Combine(_cache, "second"));
        again.Should().Throw<InvalidDataException>().WithMessage($"{copy}*{LibTorchSharpFallback.MissingVersion}*");
        var notElf = Path.Combine(_cache, "not-elf.so");
        File.WriteAllText(notElf, "hello");
        var bad = () => LibTorchSharpFallback.PatchedCopy(notElf, _cache);
        bad.Should().Throw<InvalidDataException>();
    }

    [Fact(DisplayName = "The cache folder follows DEBUG_NATIVE_CACHE, else XDG_CACHE_HOME, else ~/.cache")]
    public void CacheRootFollowsTheEnvironment()
    {
        var saved = (Environment.GetEnvironmentVariable("DEBUG_NATIVE_CACHE"), Environment.GetEnvironmentVariable("XDG_CACHE_HOME"));
        try
        {
            Environment.SetEnvironmentVariable("DEBUG_NATIVE_CACHE", _cache);
            LibTorchSharpFallback.CacheRoot().Should().Be(_cache);
            Environment.SetEnvironmentVariable("DEBUG_NATIVE_CACHE", null);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/xdg");
            LibTorchSharpFallback.CacheRoot().Should().Be("/xdg/debug/native");
        }
        finally
        {
            Environment.SetEnvironmentVariable("DEBUG_NATIVE_CACHE", saved.Item1);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved.Item2);
        }
    }

    // The unpatched file TorchSharp's package ships (the test host's own copy was patched by the build).
    private static string NuGetOriginal()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        var file = Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        File.Exists(file).Should().BeTrue($"TorchSharp's package is restored at {file}");
        return file;
    }
}
