using System.Diagnostics;
using System.Globalization;
using Debug.Core;
using Debug.Core.Model;
using static TorchSharp.torch;

namespace Debug.Benchmarks;

/// <summary>
/// Where a fast sweep's time goes (<c>sweep --profile</c>): GEMM rates by row count for each dtype, and for blocks of
/// the shapes the sweep runs (rows x positions), the block's time against the time of its seven GEMMs alone.
/// </summary>
internal static class SweepProfile
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Print(string folder, ScalarType dtype, int length)
    {
        const int d = RandomCheckpoint.Hidden, inter = RandomCheckpoint.Intermediate;
        using var noGrad = no_grad();
        using var model = CausalLanguageModel.Load(folder, dtype);
        var w = model.NamedWeights;
        foreach (int m in new[] { 1, 4, 16, 28, 64, 128, 256, 512, 728 })
        {
            using var scope = NewDisposeScope();
            var x = randn(m, d).to_type(dtype);
            var gate = w["model.layers.0.mlp.gate_proj.weight"];
            double s = Time(() => nn.functional.linear(x, gate));
            Console.WriteLine(string.Create(Inv, $"profile {dtype} GEMM [{m}x{d}]x[{d}x{inter}]: {2.0 * m * d * inter / s / 1e9:F0} GFLOP/s"));
        }
        Packed(model, dtype, length);
        foreach (var (rows, t) in new[] { (27, 1), (14, 4), (14, 13), (27, 26) })
        {
            using var scope = NewDisposeScope();
            int p = length - t;
            using var clean = CleanCache(model, length);
            var ctx = model.ResumeContext(p, t, Prefix(model, clean, p));
            var x = randn(rows, t, d).Times(0.02).to_type(dtype);
            double block = Time(() => model.RunBlock(5, x, ctx, null));
            double gemms = Time(SevenGemms(model, dtype, 5, rows * t));
            Report($"block {rows} rows x {t} positions", dtype, rows * t, block, gemms);
            Pieces(dtype, rows, t, p);
        }
    }

    /// <summary>
    /// One block of a packed wave as the sweep runs it: a segment per patched position from 3 on (positions p..T-1,
    /// 14 rows each, as at block 14 of a resid_post sweep, attending to a shared clean prefix of p positions), all in
    /// one sequence; the block's time against its seven GEMMs over the same tokens.
    /// </summary>
    private static void Packed(CausalLanguageModel model, ScalarType dtype, int length)
    {
        using var scope = NewDisposeScope();
        const int rows = 14, layer = 14;
        using var clean = CleanCache(model, length);
        var segments = Enumerable.Range(3, length - 3)
            .Select(p => (model.ResumeContext(p, length - p, Prefix(model, clean, p)), rows, (long)(length - p))).ToList();
        var ctx = CausalLanguageModel.PackedContext(segments);
        long n = segments.Sum(s => s.rows * s.Item3);
        var x = randn(1, n, RandomCheckpoint.Hidden).Times(0.02).to_type(dtype);
        var gemmsOnly = SevenGemms(model, dtype, layer, n);
        // Interleaved, so both see the same machine state (the AMX rate here swings within seconds).
        var blocks = new List<double>();
        var gemmTimes = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            blocks.Add(Time(() => model.RunBlock(layer, x, ctx, null)));
            gemmTimes.Add(Time(gemmsOnly));
        }
        Report($"packed block ({segments.Count} segments x {rows} rows, {n} tokens)", dtype, n, blocks.Order().ElementAt(2), gemmTimes.Order().ElementAt(2));
    }

    // The clean run's keys and values of a random prompt of this length; the caller disposes it.
    private static KvCache CleanCache(CausalLanguageModel model, int length)
    {
        var clean = new KvCache(model.NumLayers);
        using var ids = randint(0, 1000, [1, length], dtype: ScalarType.Int64);
        model.Forward(ids, null, null, [-1], null, clean).Dispose();
        return clean;
    }

    // Its first p positions as the frozen prefix a resumed forward attends to.
    private static KvCache Prefix(CausalLanguageModel model, KvCache clean, int p) =>
        KvCache.Frozen(Enumerable.Range(0, model.NumLayers).Select(l => clean.Layer(l).K.narrow(2, 0, p)).ToList(),
            Enumerable.Range(0, model.NumLayers).Select(l => clean.Layer(l).V.narrow(2, 0, p)).ToList());

    private static readonly string[] ProjectionNames =
        ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"];

    // The seven products of a block's `tokens` rows with layer `layer`'s weights (random inputs of the right widths).
    private static Func<Tensor> SevenGemms(CausalLanguageModel model, ScalarType dtype, int layer, long tokens)
    {
        var w = model.NamedWeights;
        var inputs = ProjectionNames.Select(n => randn(tokens, w[$"model.layers.{layer}.{n}.weight"].shape[1]).to_type(dtype)).ToArray();
        return () =>
        {
            for (int i = 0; i < ProjectionNames.Length; i++) nn.functional.linear(inputs[i], w[$"model.layers.{layer}.{ProjectionNames[i]}.weight"]).Dispose();
            return empty(0);
        };
    }

    private static void Report(string what, ScalarType dtype, long tokens, double block, double gemms)
    {
        const int d = RandomCheckpoint.Hidden, inter = RandomCheckpoint.Intermediate;
        double flops = 2.0 * tokens * (d * (2048 + 1024 + 1024) + 2048 * d + 3 * d * inter);
        Console.WriteLine(string.Create(Inv,
            $"profile {dtype} {what}: {block * 1e3:F2} ms, its GEMMs alone {gemms * 1e3:F2} ms " +
            $"({flops / gemms / 1e9:F0} GFLOP/s), the rest {(block - gemms) * 1e3:F2} ms ({(block - gemms) / block:P0})"));
    }

    // The non-GEMM work of one Qwen3 block at this shape, piece by piece, mirroring Attention/RmsNorm/Rotary.
    private static void Pieces(ScalarType dtype, int rows, int t, int p)
    {
        using var scope = NewDisposeScope();
        const int d = RandomCheckpoint.Hidden, hd = RandomCheckpoint.HeadDim, h = RandomCheckpoint.Heads, kvh = RandomCheckpoint.KvHeads;
        var x = randn(rows, t, d).to_type(dtype);
        var wn = ones(d).to_type(dtype);
        var norm = new Debug.Core.Model.Blocks.RmsNorm(wn, 1e-6, false);
        var qn = new Debug.Core.Model.Blocks.RmsNorm(ones(hd).to_type(dtype), 1e-6, false);
        var q = randn(rows, t, h, hd).to_type(dtype);
        var k = randn(rows, kvh, t, hd).to_type(dtype);
        var qh = randn(rows, h, t, hd).to_type(dtype);
        var cos = randn(1, 1, t, hd).to_type(dtype);
        var prefix = randn(1, kvh, p, hd).to_type(dtype);
        var kk = randn(rows, h, p + t, hd).to_type(dtype);
        var mask = zeros(1, 1, t, p + t).to_type(dtype);
        var g = randn(rows, t, 3072).to_type(dtype);
        var pieces = new (string, Func<Tensor>)[]
        {
            ("rmsnorm x2", () => { norm.Forward(x).Dispose(); return norm.Forward(x); }),
            ("q/k norm", () => { qn.Forward(q).Dispose(); return qn.Forward(q.narrow(2, 0, kvh)); }),
            ("rotary q+k", () =>
            {
                foreach (var y in new[] { qh, k })
                {
                    using var s = NewDisposeScope();
                    var rot = cat([-y.narrow(-1, hd / 2, hd / 2), y.narrow(-1, 0, hd / 2)], -1);
                    _ = (y * cos).Plus(rot * cos);
                }
                return empty(0);
            }),
            ("cache cat k+v", () => { cat([prefix.expand(rows, -1, -1, -1), k], 2).Dispose(); return cat([prefix.expand(rows, -1, -1, -1), k], 2); }),
            ("repeat kv k+v", () =>
            {
                var kv = cat([prefix.expand(rows, -1, -1, -1), k], 2);
                kv.unsqueeze(2).expand(rows, kvh, h / kvh, p + t, hd).reshape(rows, h, p + t, hd).Dispose();
                return kv.unsqueeze(2).expand(rows, kvh, h / kvh, p + t, hd).reshape(rows, h, p + t, hd);
            }),
            ("sdpa", () => nn.functional.scaled_dot_product_attention(qh, kk, kk, mask, 0.0, false)),
            ("silu*up", () => nn.functional.silu(g) * g),
            ("residual adds x2", () => { x.Plus(x).Dispose(); return x.Plus(x); }),
        };
        foreach (var (name, op) in pieces)
            Console.WriteLine(string.Create(Inv, $"profile {dtype}   {rows}x{t} {name}: {Time(op) * 1e3:F3} ms"));
    }

    // Median of five timings of enough calls to fill ~0.2 s each.
    private static double Time(Func<Tensor> op)
    {
        op().Dispose();
        var sw = Stopwatch.StartNew();
        int iters = 0;
        while (sw.Elapsed.TotalSeconds < 0.2) { op().Dispose(); iters++; }
        var times = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            sw.Restart();
            for (int i = 0; i < iters; i++) op().Dispose();
            times.Add(sw.Elapsed.TotalSeconds / iters);
        }
        return times.Order().ElementAt(2);
    }
}
