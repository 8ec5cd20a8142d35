using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Core.Interventions;

/// <summary>
/// One resumed forward of a patch sweep: cells that patch positions from <see cref="Start"/> on, each a row running
/// positions Start..length-1 on the clean run's keys and values for earlier positions. Rows are kept in join order
/// (a block's batch is the rows that joined so far followed by the joiners), so <see cref="X"/> only ever grows at
/// the end. Tensors live in the caller's dispose scope.
/// </summary>
internal sealed class ResumedGroup
{
    private readonly int[] _rowOf;
    private int _next;

    public ResumedGroup(CausalLanguageModel model, int length, int start, List<PatchCell> cells, RunCapture clean)
    {
        Start = start;
        T = length - start;
        KvCache? prefix = null;
        if (start > 0)
        {
            var kv = Enumerable.Range(0, model.NumLayers).Select(l => clean.Cache!.Layer(l)).ToList();
            prefix = KvCache.Frozen(kv.Select(x => x.K.narrow(2, 0, start)).ToList(), kv.Select(x => x.V.narrow(2, 0, start)).ToList());
        }
        Context = model.ResumeContext(start, T, prefix);
        Ordered = cells.Select((c, i) => (Cell: c, Index: i)).OrderBy(x => x.Cell.FirstAffectedBlock).ToList();
        _rowOf = new int[cells.Count];
    }

    public int Start { get; }
    public long T { get; }
    public AttentionContext Context { get; }
    public List<(PatchCell Cell, int Index)> Ordered { get; }

    /// <summary>The residual stream [Rows, T, d] of the rows that joined so far (null before the first joins).</summary>
    public Tensor? X { get; set; }
    public int Rows { get; private set; }

    /// <summary>
    /// Adds the rows whose patch first affects <paramref name="block"/>: the clean residual entering it, with residual
    /// patches written in; returns the joiners' rows and cells, whose hook patches the caller applies inside the block.
    /// </summary>
    public List<(int Row, PatchCell Cell)> Join(int block, RunCapture clean, RunCapture cf)
    {
        int first = _next;
        while (_next < Ordered.Count && Ordered[_next].Cell.FirstAffectedBlock == block) _next++;
        var joined = new List<(int, PatchCell)>();
        if (_next == first) return joined;
        var input = clean.State(block).narrow(1, Start, T).expand(_next - first, -1, -1).clone();
        for (int k = first; k < _next; k++)
        {
            var c = Ordered[k].Cell;
            int row = Rows + (k - first);
            _rowOf[Ordered[k].Index] = row;
            if (c.Kind is PatchKind.ResidPre or PatchKind.ResidPost) input[k - first, c.Position - Start] = cf.State(block)[0, c.Position];
            joined.Add((row, c));
        }
        var previous = X;
        X = previous is null ? input : cat([previous, input], 0);
        previous?.Dispose();
        Rows += _next - first;
        return joined;
    }

    /// <summary>Each cell's residual at the last position after the last block, in the cells' order: [cells, d].</summary>
    public Tensor LastResidual()
    {
        using var index = tensor(_rowOf.Select(r => (long)r).ToArray(), device: X!.device);
        return X!.select(1, T - 1).index_select(0, index);
    }
}
