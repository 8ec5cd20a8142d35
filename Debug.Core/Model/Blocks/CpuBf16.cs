namespace Debug.Core.Model.Blocks;

/// <summary>
/// Whether this CPU multiplies bfloat16 natively (AVX512-BF16 or AMX-BF16 in /proc/cpuinfo). Without those units
/// libtorch's bf16 GEMM runs 5-70x slower than its float32 GEMM, so bf16 products are routed through float32
/// (<see cref="Linear.Apply"/>, <see cref="Float32Shadow"/>); with them, the native bf16 GEMM is the fast path and is
/// kept. <c>DEBUG_BF16_GEMM=native</c> or <c>=float32</c> overrides the detection.
/// </summary>
internal static class CpuBf16
{
    /// <summary>Environment variable that overrides the detection.</summary>
    public const string OverrideVariable = "DEBUG_BF16_GEMM";

    private static readonly Lazy<IReadOnlySet<string>> Flags = new(ReadFlags);
    private static readonly Lazy<bool> Native = new(() => Decide(Environment.GetEnvironmentVariable(OverrideVariable), Flags.Value));

    /// <summary>Whether the CPU has bf16 units (avx512_bf16 or amx_bf16), whatever the override says.</summary>
    public static bool HasBf16Units => Decide(null, Flags.Value);

    /// <summary>Whether bf16 products should stay on libtorch's native bf16 GEMM.</summary>
    public static bool HasNativeGemm => Native.Value;

    /// <summary>The decision for an override value and the CPU flags (pure, for tests).</summary>
    /// <exception cref="ArgumentException">The override is neither <c>native</c> nor <c>float32</c>.</exception>
    public static bool Decide(string? overrideValue, IReadOnlySet<string> flags) => overrideValue?.Trim().ToLowerInvariant() switch
    {
        null or "" => flags.Contains("avx512_bf16") || flags.Contains("amx_bf16"),
        "native" => true,
        "float32" => false,
        _ => throw new ArgumentException($"{OverrideVariable} must be 'native' or 'float32', got '{overrideValue}'."),
    };

    // Linux only; elsewhere no flags are known and products take the float32 route, which is always correct.
    private static IReadOnlySet<string> ReadFlags()
    {
        try
        {
            var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) : null;
            return line is null ? new HashSet<string>() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }
        catch (IOException)
        {
            return new HashSet<string>();
        }
    }
}
