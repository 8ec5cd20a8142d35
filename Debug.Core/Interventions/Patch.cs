using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// Overwrite an activation in one batch row. <see cref="Value"/> has one entry per position: [positions, ...rest]
/// where rest is d_model for residual hooks, head_dim for hook_z with a head (heads × head_dim without), and the key
/// axis for hook_pattern (which needs a head). The caller keeps ownership of <see cref="Value"/>.
/// </summary>
/// <param name="Hook">A <see cref="HookPoint"/> name.</param>
/// <param name="BatchRow">The row of the batch to change; other rows are untouched.</param>
/// <param name="Positions">Sequence positions (query positions for hook_pattern).</param>
/// <param name="Head">The head to change, for hooks with a head axis; null means every head.</param>
/// <param name="Value">The replacement values.</param>
public sealed record Patch(string Hook, int BatchRow, IReadOnlyList<int> Positions, int? Head, Tensor Value);

/// <summary>
/// Zero the post-softmax attention of one head from a query position to some key positions, without renormalising.
/// </summary>
/// <param name="Layer">The layer.</param>
/// <param name="Head">The query head.</param>
/// <param name="QueryPosition">The query position.</param>
/// <param name="KeyPositions">The key positions whose weights become zero.</param>
/// <param name="BatchRow">The batch row, or null for every row.</param>
public sealed record AttentionKnockout(int Layer, int Head, int QueryPosition, IReadOnlyList<int> KeyPositions, int? BatchRow = null);
