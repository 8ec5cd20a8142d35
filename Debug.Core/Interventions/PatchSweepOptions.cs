namespace Debug.Core.Interventions;

/// <summary>Knobs of a patch sweep.</summary>
/// <param name="KeepLogits">Keep every cell's patched logits in <see cref="PatchSweepResult.Logits"/> (vocab floats per cell).</param>
/// <param name="MaxRowsPerForward">
/// At most this many cells share one batched forward (bounds memory: each row carries its positions through the
/// remaining blocks).
/// </param>
public sealed record PatchSweepOptions(bool KeepLogits = false, int MaxRowsPerForward = 512);
