using TorchSharp;
using static TorchSharp.torch;

namespace Debug.Core.Model;

/// <summary>
/// Which device a model runs on, chosen once per model: a load option, else <see cref="Variable"/>
/// (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>meta</c>), else CUDA when TorchSharp reports it available, else the CPU.
/// Every tensor the engine creates for that model is created on it. Also the dtype that suits the device: bfloat16 on
/// CUDA (as the Python framework runs), float32 on the CPU (bf16 GEMMs are slow on CPUs without bf16 units).
/// </summary>
public static class ModelDevice
{
    /// <summary>Environment variable naming the device.</summary>
    public const string Variable = "DEBUG_DEVICE";

    /// <summary>Parses <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>meta</c> (shapes and dtypes only, no data: for tests).</summary>
    /// <exception cref="ArgumentException">Anything else; the message names <paramref name="source"/>.</exception>
    public static Device Parse(string spec, string source = "device")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        string s = spec.Trim().ToLowerInvariant();
        if (s == "cpu") return CPU;
        if (s == "meta") return new Device(DeviceType.META);
        if (s == "cuda") return new Device(DeviceType.CUDA, 0);
        if (s.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(s[5..], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int index))
            return new Device(DeviceType.CUDA, index);
        throw new ArgumentException($"{source}: '{spec}' is not a device (write cpu, cuda, cuda:N or meta).", nameof(spec));
    }

    /// <summary>
    /// The device for a model: <paramref name="requested"/> when given, else <see cref="Variable"/>, else CUDA when
    /// available, else the CPU.
    /// </summary>
    /// <exception cref="ArgumentException">The variable holds something that is not a device.</exception>
    /// <exception cref="InvalidOperationException">CUDA was asked for but TorchSharp has no CUDA backend here.</exception>
    public static Device Resolve(Device? requested = null, Func<string, string?>? environment = null)
    {
        TorchRuntime.EnsureLoaded();
        string? fromEnvironment = (environment ?? Environment.GetEnvironmentVariable)(Variable);
        var device = requested
            ?? (string.IsNullOrWhiteSpace(fromEnvironment) ? null : Parse(fromEnvironment, Variable))
            ?? (cuda.is_available() ? new Device(DeviceType.CUDA, 0) : CPU);
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new InvalidOperationException($"Device {device} was asked for, but TorchSharp reports no CUDA here: build with " +
                "-p:DebugTorchBackend=cuda on a machine with an NVIDIA driver, or choose cpu.");
        return device;
    }

    /// <summary>bfloat16 on CUDA, float32 elsewhere.</summary>
    public static ScalarType DefaultDtype(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32;
    }
}
