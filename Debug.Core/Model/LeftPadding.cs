using static TorchSharp.torch;

namespace Debug.Core.Model;

/// <summary>
/// Builds the left-padded batch the engine expects from token lists of different lengths: every row ends at the
/// last column, so "the last position" is column T-1 for every row and the LM head can run there only.
/// </summary>
public static class LeftPadding
{
    /// <summary>
    /// Returns input ids [B, T] (padded with <paramref name="padId"/> on the left) and the attention mask [B, T]
    /// (1 on tokens), both int64, with T the longest row, on <paramref name="device"/> (the model's; null: the CPU).
    /// The caller owns both tensors.
    /// </summary>
    public static (Tensor InputIds, Tensor AttentionMask) Pad(IReadOnlyList<IReadOnlyList<int>> rows, long padId = 0, Device? device = null)
    {
        if (rows.Count == 0) throw new ArgumentException("no rows", nameof(rows));
        int t = rows.Max(r => r.Count);
        if (t == 0) throw new ArgumentException("every row is empty", nameof(rows));
        var ids = new long[rows.Count * t];
        var mask = new long[rows.Count * t];
        for (int b = 0; b < rows.Count; b++)
        {
            int start = t - rows[b].Count;
            for (int i = 0; i < t; i++)
            {
                bool token = i >= start;
                ids[b * t + i] = token ? rows[b][i - start] : padId;
                mask[b * t + i] = token ? 1 : 0;
            }
        }
        return (tensor(ids, [rows.Count, t], device: device ?? CPU), tensor(mask, [rows.Count, t], device: device ?? CPU));
    }
}
