namespace Debug.Core.Interventions;

/// <summary>
/// One activation-patching intervention: replace <see cref="Kind"/> at (<see cref="Layer"/>, <see cref="Position"/>[,
/// <see cref="Head"/>]) of the clean run with the counterfactual run's value and read the last position's logits.
/// </summary>
/// <param name="Kind">The activation.</param>
/// <param name="Layer">The block index.</param>
/// <param name="Position">The token position.</param>
/// <param name="Head">The query head, for <see cref="PatchKind.AttnHead"/> only.</param>
public sealed record PatchCell(PatchKind Kind, int Layer, int Position, int? Head = null)
{
    /// <summary>The TransformerLens hook the patch writes.</summary>
    public string Hook => Kind switch
    {
        PatchKind.ResidPre => HookPoint.ResidPre(Layer),
        PatchKind.ResidPost => HookPoint.ResidPost(Layer),
        PatchKind.AttnHead => HookPoint.AttnZ(Layer),
        _ => HookPoint.MlpOut(Layer),
    };

    /// <summary>
    /// The first block whose output the patch can change: a residual patch enters block L (resid_pre) or L + 1
    /// (resid_post; L + 1 = layers means after the last block); head and MLP patches act inside block L.
    /// </summary>
    internal int FirstAffectedBlock => Kind == PatchKind.ResidPost ? Layer + 1 : Layer;

    /// <summary>Short label, e.g. <c>resid_post L3 p7</c> or <c>attn_head L1 H2 p9</c>.</summary>
    public override string ToString() => Kind switch
    {
        PatchKind.ResidPre => $"resid_pre L{Layer} p{Position}",
        PatchKind.ResidPost => $"resid_post L{Layer} p{Position}",
        PatchKind.AttnHead => $"attn_head L{Layer} H{Head} p{Position}",
        _ => $"mlp_out L{Layer} p{Position}",
    };

    /// <summary>
    /// Every (layer, position[, head]) cell of <paramref name="kind"/> at <paramref name="positions"/>, layer-major
    /// (then head, then position).
    /// </summary>
    public static IReadOnlyList<PatchCell> Grid(PatchKind kind, int layers, IEnumerable<int> positions, int heads = 0)
    {
        var pos = positions.ToArray();
        var cells = new List<PatchCell>();
        for (int l = 0; l < layers; l++)
        {
            if (kind == PatchKind.AttnHead)
            {
                if (heads <= 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, "a head grid needs the head count");
                for (int h = 0; h < heads; h++) cells.AddRange(pos.Select(p => new PatchCell(kind, l, p, h)));
            }
            else cells.AddRange(pos.Select(p => new PatchCell(kind, l, p)));
        }
        return cells;
    }
}
