using Debug.Core.Model;

namespace Debug.Core.Interventions;

/// <summary>
/// Attribution patching with its strongest cells checked: the <see cref="AttributionSweep"/> estimate of every cell,
/// then the exact engine (<see cref="PatchSweep"/>) on the <c>k</c> cells of largest estimated |effect|. A full grid
/// then costs one forward and backward plus k exact cells instead of every cell, and the cells a report leans on are
/// measured, not estimated.
/// </summary>
public sealed class VerifiedAttribution : IDisposable
{
    private VerifiedAttribution(PatchSweepResult attribution, PatchSweepResult exact, IReadOnlyList<int> verified)
    {
        Attribution = attribution;
        Exact = exact;
        VerifiedIndices = verified;
    }

    /// <summary>The estimate of every cell, in the cells' order.</summary>
    public PatchSweepResult Attribution { get; }

    /// <summary>The exact sweep of the verified cells, strongest estimate first.</summary>
    public PatchSweepResult Exact { get; }

    /// <summary>Indices (into <see cref="Attribution"/>'s cells) of the verified cells, strongest estimate first.</summary>
    public IReadOnlyList<int> VerifiedIndices { get; }

    /// <summary>
    /// The verified cells with both effects (patched minus clean answer logit difference), strongest estimate first.
    /// </summary>
    public IReadOnlyList<(PatchCell Cell, double Estimated, double Exact)> Verified =>
        VerifiedIndices.Select((cell, rank) => (Attribution.Cells[cell], AttributionAgreement.Effect(Attribution, cell),
            AttributionAgreement.Effect(Exact, rank))).ToList();

    /// <summary>
    /// Of the <paramref name="fullExact"/> sweep's top cells (as many as were verified), the fraction that were
    /// verified, i.e. recall@k of the attribution ranking (<see cref="AttributionAgreement.RecallAtK"/>).
    /// </summary>
    public double Recall(PatchSweepResult fullExact) => AttributionAgreement.RecallAtK(Attribution, fullExact, Math.Max(1, VerifiedIndices.Count));

    /// <summary>
    /// Estimates every cell of <paramref name="cells"/>, then patches the <paramref name="topK"/> of largest
    /// estimated |effect| exactly (fewer when fewer cells lie at or after the first differing token).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is below 1, or a cell is outside the model or prompt.</exception>
    public static VerifiedAttribution Run(CausalLanguageModel model, PatchingPair pair, IReadOnlyList<PatchCell> cells, int topK,
        AttributionOptions? options = null, PatchSweepOptions? exactOptions = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(cells);
        return RunBatch(model, [pair], [cells], topK, options, exactOptions)[0];
    }

    /// <summary>
    /// The same for several pairs: every pair's estimate from one <see cref="AttributionSweep.RunBatch"/>, then each
    /// pair's <paramref name="topK"/> strongest cells patched exactly.
    /// </summary>
    /// <returns>One result per pair, in the pairs' order; the caller disposes them.</returns>
    /// <exception cref="ArgumentException">No pairs, or not one cell list per pair.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is below 1, or a cell is outside the model or its pair's prompt.</exception>
    public static IReadOnlyList<VerifiedAttribution> RunBatch(CausalLanguageModel model, IReadOnlyList<PatchingPair> pairs,
        IReadOnlyList<IReadOnlyList<PatchCell>> cells, int topK, AttributionOptions? options = null, PatchSweepOptions? exactOptions = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        var attributions = AttributionSweep.RunBatch(model, pairs, cells, options);
        var results = new List<VerifiedAttribution>(attributions.Count);
        try
        {
            for (int p = 0; p < attributions.Count; p++)
            {
                var top = AttributionAgreement.Ranked(attributions[p]).Take(topK).ToList();
                var exact = PatchSweep.Run(model, pairs[p], top.Select(i => cells[p][i]).ToList(), exactOptions);
                results.Add(new VerifiedAttribution(attributions[p], exact, top));
            }
            return results;
        }
        catch
        {
            // Results own their estimate; estimates not yet handed to a result are freed here.
            foreach (var r in results) r.Dispose();
            foreach (var a in attributions.Skip(results.Count)) a.Dispose();
            throw;
        }
    }

    /// <summary>Frees both results.</summary>
    public void Dispose()
    {
        Attribution.Dispose();
        Exact.Dispose();
    }
}
