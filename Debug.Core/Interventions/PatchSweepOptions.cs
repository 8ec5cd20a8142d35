namespace Debug.Core.Interventions;

/// <summary>Knobs of a patch sweep.</summary>
/// <param name="KeepLogits">Keep every cell's patched logits in <see cref="PatchSweepResult.Logits"/> (vocab floats per cell).</param>
/// <param name="MaxRowsPerForward">
/// At most this many cells share one batched forward (bounds memory: each row carries its positions through the
/// remaining blocks).
/// </param>
/// <param name="MaxPaddingFraction">
/// Neighbouring patched positions share a forward when at most this fraction of a row's tokens are clean positions
/// before its patch, rerun only to make the batch larger (0: one forward group per position). Larger GEMMs did not pay
/// for the padding on the 2-core AVX2 machine (full 0.6B-shape sweep: 40.8 s at 0, 42.7 s at 0.25), hence the default.
/// </param>
/// <param name="MaxTokensPerForward">
/// Resumed forwards of different positions run packed in one sequence (one GEMM per weight for all of them) while
/// their rows hold at most this many tokens in all; bounds memory (activations of this many tokens per block). 2048
/// keeps a block's GEMMs large while its temporaries stay small enough for the C allocator to reuse instead of mapping
/// fresh pages each time (0.6B-shape sweep on a 2-core AMX machine, alternating runs: bf16 7.4-8.2 s at 2048 against
/// 10.8-11.5 s at 16384, kernel time of the process 13-19 s against 35 s; float32 19.8-22.8 s against 22.3-22.9 s).
/// </param>
/// <param name="Progress">Receives a report after every batched forward (cells computed so far).</param>
public sealed record PatchSweepOptions(bool KeepLogits = false, int MaxRowsPerForward = 512, double MaxPaddingFraction = 0,
    int MaxTokensPerForward = 2048, IProgress<SweepProgress>? Progress = null);
