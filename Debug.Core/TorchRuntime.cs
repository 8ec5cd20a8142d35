using Debug.Core.Native;
using TorchSharp;

namespace Debug.Core;

/// <summary>
/// One place that initialises TorchSharp's native backend, so every entry point (tests, runner, benchmarks)
/// fails with the same clear message when the natives cannot be loaded.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<string> Initialised = new(() =>
    {
        try
        {
            LibTorchSharpFallback.Register();
            torch.InitializeDeviceType(DeviceType.CPU);
            return torch.__version__;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "TorchSharp's native library could not be loaded. On Linux a libstdc++ without GLIBCXX_3.4.32 is " +
                "handled by the build (build/Debug.Core.targets) or, failing that, by a patched copy in " +
                LibTorchSharpFallback.CacheRoot() + "; this error has another cause. Inner error: " + e.Message, e);
        }
    });

    /// <summary>Loads the native backend once and returns libtorch's version string.</summary>
    public static string EnsureLoaded() => Initialised.Value;

    /// <summary>Sets the number of intra-op threads (0 keeps libtorch's default, which is the core count).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        if (threads > 0) torch.set_num_threads(threads);
    }
}
