using System.Diagnostics;
using Debug.Core.Model;
using Debug.Core.Tokenization;
using static TorchSharp.torch;

namespace Debug.Core.Experiments.Tracing;

/// <summary>
/// The search for one group's robust seeds (see <see cref="RobustSeeds"/>), resumable: <see cref="Extend"/> tries
/// seeds in order until it has the number asked for, and a later call that wants more continues where the last one
/// stopped, so a run that traces one rank pays for one robust seed, not three. A seed is scored without generating:
/// its answer is one token, so one batched forward at the last position of several programs says which the model
/// answers, and only those programs' twins are run. Thread-safe.
/// </summary>
public sealed class RobustSeedSearch
{
    // About this many prompt tokens per forward: large enough for efficient GEMMs, small enough that a forward of a
    // 0.6B-parameter model takes seconds on a CPU, so progress reports stay frequent.
    private const int TokensPerForward = 256;

    private readonly CausalLanguageModel _model;
    private readonly ModelTokenizer _tokenizer;
    private readonly List<ulong> _seeds = [];
    private readonly Lock _gate = new();
    private readonly Stopwatch _time = new();
    private ulong _next;
    private int _forwards, _prompts, _needed, _batches;
    private long _tokens;

    /// <summary>Creates the search of (<paramref name="hops"/>, <paramref name="lines"/>) over seeds below <paramref name="limit"/>.</summary>
    public RobustSeedSearch(CausalLanguageModel model, ModelTokenizer tokenizer, int hops, int lines, ulong limit)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _model = model;
        _tokenizer = tokenizer;
        Hops = hops;
        Lines = lines;
        Limit = limit;
    }

    /// <summary>Hops of the group.</summary>
    public int Hops { get; }

    /// <summary>Lines of the group.</summary>
    public int Lines { get; }

    /// <summary>Seeds 0..Limit-1 are searched.</summary>
    public ulong Limit { get; }

    /// <summary>Where the search stands (and, once done, what it cost).</summary>
    public SeedSearchProgress Progress
    {
        get
        {
            lock (_gate) return Snapshot();
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> robust seeds in ascending order, searching further only when fewer have been
    /// found (fewer when the seeds below <see cref="Limit"/> run out).
    /// </summary>
    /// <param name="count">Robust seeds wanted.</param>
    /// <param name="progress">Receives a report after every batched forward.</param>
    public IReadOnlyList<ulong> Extend(int count, IProgress<SeedSearchProgress>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _needed = Math.Max(_needed, count);
            _batches = 0;
            _time.Start();
            try
            {
                while (_seeds.Count < count && _next < Limit)
                {
                    SearchBatch(count);
                    progress?.Report(Snapshot());
                }
            }
            finally
            {
                _time.Stop();
            }
            return [.. _seeds.Take(count)];
        }
    }

    private SeedSearchProgress Snapshot() =>
        new(Hops, Lines, (int)_next, _seeds.Count, _needed, Limit, _forwards, _prompts, _tokens, _time.Elapsed);

    // Scores the next programs in one forward, then the twins of those the model answered in another; seeds are
    // taken in order and the batch ends where the count would be reached, so nothing past the last needed seed counts.
    private void SearchBatch(int count)
    {
        // As many programs as seeds are still missing, doubling after every batch that comes up short: a model that
        // answers runs few programs past its last needed seed, one that does not soon gets full batches.
        int programs = Math.Max(1, count - _seeds.Count) << Math.Min(_batches++, 16);
        var batch = new List<BindingTracingCase>();
        int tokens = 0;
        while (batch.Count < programs && _next + (ulong)batch.Count < Limit
               && (batch.Count == 0 || tokens + batch[0].Pair.Length <= TokensPerForward))
        {
            var c = BindingTracingCase.Create(_tokenizer, Hops, Lines, _next + (ulong)batch.Count);
            batch.Add(c);
            tokens += c.Pair.Length;
        }
        var clean = AnswersNext(batch.Select(c => (c.Pair.CleanIds, c.Pair.CleanAnswer!.Value)).ToList());
        var answered = batch.Where((_, i) => clean[i]).ToList();
        var twin = answered.Count == 0 ? [] : AnswersNext(answered.Select(c => (c.Pair.CounterfactualIds, c.Pair.CounterfactualAnswer!.Value)).ToList());
        var robust = answered.Where((_, i) => twin[i]).Select(c => c.Seed).ToHashSet();
        foreach (var c in batch)
        {
            _next = c.Seed + 1;
            if (!robust.Contains(c.Seed)) continue;
            _seeds.Add(c.Seed);
            if (_seeds.Count >= count) break;
        }
    }

    /// <summary>Whether the model's top next token after each prompt is its answer: one left-padded forward, last position only.</summary>
    private bool[] AnswersNext(IReadOnlyList<(IReadOnlyList<long> Ids, int Answer)> prompts)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (ids, mask) = LeftPadding.Pad(prompts.Select(p => (IReadOnlyList<int>)[.. p.Ids.Select(id => (int)id)]).ToList(), _tokenizer.PadId ?? 0);
        var top = _model.Forward(ids, mask, logitPositions: [-1]).reshape(prompts.Count, -1).argmax(1).data<long>().ToArray();
        _forwards++;
        _prompts += prompts.Count;
        _tokens += prompts.Sum(p => (long)p.Ids.Count);
        return [.. prompts.Select((p, i) => top[i] == p.Answer)];
    }
}
