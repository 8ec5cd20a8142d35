using Debug.Core.Interventions;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Tracing;

/// <summary>
/// Attribution patching held to the exact method on every fixture architecture. Which test catches which bug:
/// <list type="bullet">
/// <item>a wrong sign (of the difference or the gradient): <see cref="FirstOrderAgreesWithExactPatching"/> (its
/// negated-estimate mutant shows the margin) and <see cref="GradientsMatchFiniteDifferences"/>;</item>
/// <item>a wrong hook (another kind, layer or head): <see cref="FirstOrderAgreesWithExactPatching"/> (wrong-hook and
/// wrong-head mutants) and, for the gradient of each hook, <see cref="GradientsMatchFiniteDifferences"/>;</item>
/// <item>a wrong position: <see cref="FirstOrderAgreesWithExactPatching"/> (shifted-position mutant);</item>
/// <item>a wrong metric or normalisation: <see cref="FirstOrderAgreesWithExactPatching"/> compares logit differences
/// and <see cref="EstimatesUseTheExactSweepsBaseline"/> the normalised effect against the exact sweep's baseline.</item>
/// </list>
/// </summary>
public sealed class AttributionSweepTests(ITestOutputHelper output)
{
    // Interpolation step for the first-order check, and the allowed error relative to the largest estimate. What is
    // left is the second-order term, about eps times the curvature: at 4 eps the error must be about 4 times as large
    // (a wrong first-order term would leave it unchanged; float noise alone would not grow).
    private const double Epsilon = 2.5e-3, FirstOrderTolerance = 0.02;

    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(FirstOrderAgreesWithExactPatching), MemberType = typeof(TracingFixtures))]
    public void FirstOrderAgreesWithExactPatching(string fixture)
    {
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        // Positions where the prompts differ and after, up to the prediction; each needs one forward per cell and eps.
        int d0 = pair.FirstDifference;
        int[] positions = [0, d0, d0 + 1, f.T - 2, f.T - 1];
        var cells = PatchCell.Grid(PatchKind.ResidPre, f.Layers, positions)
            .Concat(PatchCell.Grid(PatchKind.ResidPost, f.Layers, positions))
            .Concat(PatchCell.Grid(PatchKind.MlpOut, f.Layers, positions))
            .Concat(PatchCell.Grid(PatchKind.AttnHead, f.Layers, positions, f.Heads))
            .ToList();
        using var atp = AttributionSweep.Run(f.Model, pair, cells);
        var estimate = Enumerable.Range(0, cells.Count).Select(i => AttributionAgreement.Effect(atp, i)).ToArray();
        var index = cells.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);

        // The exact effect of patching each cell with clean + eps * (counterfactual - clean), per eps.
        var slope = ExactSlopes(f, pair, atp.Baseline, cells, Epsilon);
        var coarse = ExactSlopes(f, pair, atp.Baseline, cells, 4 * Epsilon);
        double scale = estimate.Max(Math.Abs);
        scale.Should().BeGreaterThan(0, "the pair differs, so some cell must matter");
        double Worst(Func<int, double> guess) =>
            Enumerable.Range(0, cells.Count).Where(i => cells[i].Position >= pair.FirstDifference).Max(i => Math.Abs(slope[i] - guess(i)));
        double worst = Worst(i => estimate[i]);
        double worstCoarse = Enumerable.Range(0, cells.Count).Where(i => cells[i].Position >= pair.FirstDifference).Max(i => Math.Abs(coarse[i] - estimate[i]));

        // Mutants of the estimate, each of which a bug would produce; all must be far outside the tolerance.
        double negated = Worst(i => -estimate[i]);
        double shifted = Worst(i => estimate[index[cells[i] with { Position = positions[(Array.IndexOf(positions, cells[i].Position) + 1) % positions.Length] }]]);
        double wrongHook = Worst(i => cells[i].Kind == PatchKind.AttnHead
            ? estimate[index[cells[i] with { Head = (cells[i].Head + 1) % f.Heads }]]
            : estimate[index[cells[i] with { Kind = cells[i].Kind switch { PatchKind.ResidPre => PatchKind.ResidPost, PatchKind.ResidPost => PatchKind.MlpOut, _ => PatchKind.ResidPre } }]]);
        output.WriteLine($"{fixture}: {cells.Count} cells, largest |estimate| {scale:G4}; max |exact/eps - estimate| at eps {Epsilon}: {worst:G3} " +
            $"({worst / scale:P2}), at 4 eps: {worstCoarse:G3}; mutants: negated {negated / scale:P0}, shifted position {shifted / scale:P0}, wrong hook/head {wrongHook / scale:P0}");

        worst.Should().BeLessThanOrEqualTo(FirstOrderTolerance * scale, "attribution is the first-order term of the exact effect");
        worst.Should().BeLessThan(0.6 * worstCoarse, "the remaining error is second order: it shrinks with eps (about 4x here)");
        foreach (var (name, mutant) in new[] { ("negated", negated), ("shifted position", shifted), ("wrong hook or head", wrongHook) })
            mutant.Should().BeGreaterThan(5 * FirstOrderTolerance * scale, $"a {name} estimate must fail this test");
    }

    private static double[] ExactSlopes(Model.ReferenceFixture f, PatchingPair pair, PatchBaseline b, IReadOnlyList<PatchCell> cells, double eps)
    {
        using var scope = NewDisposeScope();
        var clean = new Dictionary<string, Tensor>();
        var cf = new Dictionary<string, Tensor>();
        foreach (var hook in cells.Select(c => c.Hook).Distinct())
        {
            clean[hook] = AttributionProbe.Activation(f.Model, pair.CleanIds, hook);
            cf[hook] = AttributionProbe.Activation(f.Model, pair.CounterfactualIds, hook);
        }
        double baseline = AttributionProbe.PatchedLogitDiff(f.Model, pair, b, cells[0], null);
        var slopes = new double[cells.Count];
        for (int i = 0; i < cells.Count; i++)
        {
            var c = cells[i];
            if (c.Position < pair.FirstDifference) continue;
            using var cellScope = NewDisposeScope();
            var a = clean[c.Hook].narrow(0, c.Position, 1);
            var value = a.Plus(cf[c.Hook].narrow(0, c.Position, 1).sub(a), eps);
            if (c.Head is { } h) value = value.select(1, h); // hook_z: [1, head_dim]
            slopes[i] = (AttributionProbe.PatchedLogitDiff(f.Model, pair, b, c, value) - baseline) / eps;
        }
        return slopes;
    }

    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(GradientsMatchFiniteDifferences), MemberType = typeof(TracingFixtures))]
    public void GradientsMatchFiniteDifferences(string fixture)
    {
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        var hooks = Enumerable.Range(0, f.Layers)
            .SelectMany(l => new[] { HookPoint.ResidPre(l), HookPoint.ResidPost(l), HookPoint.MlpOut(l), HookPoint.AttnZ(l) }).ToList();
        using var scope = NewDisposeScope();
        using var run = AttributionRun.Compute(f.Model, pair, hooks, steps: 1);
        var generator = new TorchSharp.torch.Generator(7);
        const double h = 1e-2;
        double worst = 0;
        foreach (var hook in hooks)
        {
            // A random unit direction over every position and feature; central differences of the metric along it.
            var g = run.Gradient(hook).to_type(ScalarType.Float64);
            var u = TensorMath.Normal(0, 1, g.shape, generator).to(f.Model.Device).to_type(ScalarType.Float64);
            u = u.Over(u.norm().item<double>());
            double analytic = g.mul(u).sum().item<double>();
            double up = AttributionProbe.OffsetLogitDiff(f.Model, pair, run.Baseline, hook, u.Times(h).to_type(ScalarType.Float32));
            double down = AttributionProbe.OffsetLogitDiff(f.Model, pair, run.Baseline, hook, u.Times(-h).to_type(ScalarType.Float32));
            double numeric = (up - down) / (2 * h);
            double error = Math.Abs(numeric - analytic) / g.norm().item<double>();
            worst = Math.Max(worst, error);
            error.Should().BeLessThan(1e-3, $"{fixture} {hook}: gradient·u {analytic:G6}, finite differences {numeric:G6}");
        }
        output.WriteLine($"{fixture}: {hooks.Count} hooks, max |finite difference - gradient·u| / |gradient| {worst:G3}");
    }

    [Theory]
    [MemberData(nameof(TracingFixtures.Names), nameof(InterpolatedGradientsAddUpToTheWholeEffect), MemberType = typeof(TracingFixtures))]
    public void InterpolatedGradientsAddUpToTheWholeEffect(string fixture)
    {
        // Along the embedding path the integrated gradients of resid_pre 0 sum to the whole change (left Riemann sum:
        // error about 1/steps). Plain attribution (one step) has no such guarantee; it is printed for comparison.
        var f = TracingFixtures.Get(fixture);
        var pair = TracingFixtures.Pair(f);
        var cells = PatchCell.Grid(PatchKind.ResidPre, 1, Enumerable.Range(0, f.T));
        using var plain = AttributionSweep.Run(f.Model, pair, cells);
        using var integrated = AttributionSweep.Run(f.Model, pair, cells, new AttributionOptions(InterpolationSteps: 64));
        double total = plain.Baseline.CounterfactualLogitDiff - plain.Baseline.CleanLogitDiff;
        double Sum(PatchSweepResult r) => Enumerable.Range(0, cells.Count).Sum(i => AttributionAgreement.Effect(r, i));
        output.WriteLine($"{fixture}: whole change {total:G5}; sum over positions: integrated (64 steps) {Sum(integrated):G5}, plain {Sum(plain):G5}");
        Math.Abs(Sum(integrated) - total).Should().BeLessThan(0.05 * Math.Abs(total) + 1e-4);
        integrated.Baseline.CleanLogitDiff.Should().Be(plain.Baseline.CleanLogitDiff, "step 0 of the path is the clean run");
    }
}
