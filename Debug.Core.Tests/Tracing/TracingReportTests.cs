using System.Text.Json;
using Debug.Core.Experiments.Tracing;
using Debug.Core.Interventions;
using Debug.Core.Reports;
using Debug.Core.Tests.Model;
using Debug.Core.Tests.Tokenization;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Tracing;

/// <summary>Tracing outputs: the run folder layout, JSON contents read back and checked against the sweep, and PNG figures.</summary>
public sealed class TracingReportTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact(DisplayName = "A sweep writes one intervention record per cell carrying that cell's metrics, token and target")]
    public void SweepRecords()
    {
        var (f, sweep, context) = Sweep();
        using var dir = new RunFolder();
        var folder = TracingResults.CreateRunFolder(dir.Root, "tracing_test", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        Path.GetFileName(folder).Should().Be("tracing_test_20260102_030405");

        var files = TracingResults.WriteSweep(folder, sweep, context, f.Layers, f.Heads);

        files.Select(Path.GetFileName).Should().Equal("intervention_results.json", "patch_results.json",
            "heatmap_resid_post.png", "heatmap_mlp_out.png", "heatmap_attn_head.png",
            "heatmap_resid_post_normalized_logit_difference.png", "heatmap_mlp_out_normalized_logit_difference.png",
            "heatmap_attn_head_normalized_logit_difference.png");
        foreach (var png in files.Where(p => p.EndsWith(".png", StringComparison.Ordinal)))
            File.ReadAllBytes(png).Take(8).Should().Equal(PngSignature, png);
        Directory.GetFiles(folder, "*.tmp*").Should().BeEmpty("files are written atomically");

        using var doc = Read(folder, "intervention_results.json");
        var root = doc.RootElement;
        root.GetProperty("model").GetString().Should().Be("qwen3");
        root.GetProperty("clean_program").GetString().Should().Be(context.CleanProgram);
        root.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).Should().Equal(context.Tokens);
        root.GetProperty("targets").GetProperty("query_var").GetInt32().Should().Be(9, "joined names are split back apart");
        root.GetProperty("first_difference").GetInt32().Should().Be(3);
        root.GetProperty("computed_cells").GetInt32().Should().Be(sweep.ComputedCells);
        root.GetProperty("baseline").GetProperty("clean_logit_diff").GetDouble().Should().Be(sweep.Baseline.CleanLogitDiff);

        var records = root.GetProperty("interventions").EnumerateArray().ToList();
        records.Should().HaveCount(sweep.Cells.Count);
        for (int i = 0; i < records.Count; i++)
        {
            var (r, c, m) = (records[i], sweep.Cells[i], sweep.Metrics[i]);
            r.GetProperty("type").GetString().Should().Be(c.ToString().Split(' ')[0]);
            r.GetProperty("layer").GetInt32().Should().Be(c.Layer);
            r.GetProperty("position").GetInt32().Should().Be(c.Position);
            Int(r.GetProperty("head")).Should().Be(c.Head);
            r.GetProperty("token").GetString().Should().Be(context.Tokens[c.Position]);
            r.GetProperty("target").GetString().Should().Be(context.TargetAt(c.Position));
            r.GetProperty("patched_top").GetInt32().Should().Be(m.PatchedTop);
            Num(r.GetProperty("normalized_effect")).Should().Be(m.NormalizedEffect, c.ToString());
            Num(r.GetProperty("ref_normalized")).Should().Be(m.RefNormalized);
            Num(r.GetProperty("logit_diff")).Should().Be(m.LogitDiff);
            Num(r.GetProperty("ref_logit_diff")).Should().Be(m.RefLogitDiff);
            Num(r.GetProperty("counterfactual_prob")).Should().Be(m.CounterfactualProb);
            r.GetProperty("ref_success").GetBoolean().Should().Be(m.RefSuccess);
            r.GetProperty("flipped_to_counterfactual").GetBoolean().Should().Be(m.FlippedToCounterfactual);
            // The Python framework's names for the same quantities.
            r.GetProperty("target_token_pos").GetInt32().Should().Be(c.Position);
            Int(r.GetProperty("head_idx")).Should().Be(c.Head);
            Num(r.GetProperty("logit_difference")).Should().Be(m.RefLogitDiff);
            Num(r.GetProperty("normalized_logit_difference")).Should().Be(m.RefNormalized);
            r.GetProperty("success_rate").GetDouble().Should().Be(m.RefSuccess ? 1.0 : 0.0);
            r.GetProperty("original_top_token").GetInt32().Should().Be(sweep.Baseline.CleanTop);
            r.GetProperty("intervened_top_token").GetInt32().Should().Be(m.PatchedTop);
            var (pyType, pyLayer, pyTarget) = c.Kind switch
            {
                PatchKind.ResidPost => ("residual_stream", c.Layer, $"pos_{c.Position}"),
                PatchKind.AttnHead => ("attention_head", c.Layer, $"{context.TargetAt(c.Position) ?? $"pos_{c.Position}"}_layer_{c.Layer}_head_{c.Head}"),
                _ => ("mlp", c.Layer, $"{context.TargetAt(c.Position) ?? $"pos_{c.Position}"}_layer_{c.Layer}"),
            };
            r.GetProperty("program_id").GetInt32().Should().Be(0, "one program per file, numbered 0 as the framework does");
            r.GetProperty("original_program").GetString().Should().Be(context.CleanProgram);
            r.GetProperty("counterfactual_program").GetString().Should().Be(context.CounterfactualProgram);
            r.GetProperty("token_labels").EnumerateArray().Select(t => t.GetString()).Should().Equal(context.TokenLabels);
            r.GetProperty("intervention_type").GetString().Should().Be(pyType);
            r.GetProperty("layer_idx").GetInt32().Should().Be(pyLayer);
            r.GetProperty("target_name").GetString().Should().Be(pyTarget);
        }
        var root3 = records.First(r => r.GetProperty("position").GetInt32() == 3);
        root3.GetProperty("target").GetString().Should().Be("ref_depth_1_rhs");
        records.First(r => r.GetProperty("position").GetInt32() == 9).GetProperty("target").GetString().Should().Be("ref_depth_2_rhs+query_var");
        records.First(r => r.GetProperty("position").GetInt32() == 1).GetProperty("target").ValueKind.Should().Be(JsonValueKind.Null);
        records.Where(r => r.GetProperty("type").GetString() != "attn_head").Should()
            .OnlyContain(r => r.GetProperty("head").ValueKind == JsonValueKind.Null);
    }

    [Fact(DisplayName = "Sweep aggregates hold each position's and layer's largest |normalised effect|, and null for unswept cells")]
    public void SweepAggregates()
    {
        var (f, sweep, context) = Sweep();
        using var dir = new RunFolder();
        TracingResults.WriteSweep(dir.Root, sweep, context, f.Layers, f.Heads);
        using var doc = Read(dir.Root, "patch_results.json");
        var root = doc.RootElement;
        root.GetProperty("tokens").GetArrayLength().Should().Be(f.T);
        root.GetProperty("targets").GetProperty("prediction").GetInt32().Should().Be(f.T - 1);
        root.TryGetProperty("resid_pre", out _).Should().BeFalse("only swept kinds are aggregated");

        foreach (var (kind, name) in new[] { (PatchKind.ResidPost, "resid_post"), (PatchKind.MlpOut, "mlp_out") })
        {
            var agg = root.GetProperty(name);
            var grid = agg.GetProperty("normalized_effect");
            var cells = sweep.Cells.Zip(sweep.Metrics).Where(x => x.First.Kind == kind).ToList();
            for (int l = 0; l < f.Layers; l++)
                for (int p = 0; p < f.T; p++)
                {
                    var swept = cells.Where(x => x.First.Layer == l && x.First.Position == p).Select(x => (double?)x.Second.NormalizedEffect).SingleOrDefault();
                    NumOrNull(grid[l][p]).Should().Be(swept, $"{name} L{l} p{p}");
                }
            for (int p = 0; p < f.T; p++)
            {
                var entry = agg.GetProperty("by_position")[p];
                var here = cells.Where(x => x.First.Position == p).ToList();
                if (here.Count == 0)
                {
                    entry.GetProperty("max_abs_normalized_effect").ValueKind.Should().Be(JsonValueKind.Null, $"{name} p{p} was not swept");
                    entry.GetProperty("layer").ValueKind.Should().Be(JsonValueKind.Null);
                    continue;
                }
                double max = here.Max(x => Math.Abs(x.Second.NormalizedEffect));
                Num(entry.GetProperty("max_abs_normalized_effect")).Should().Be(max, $"{name} p{p}");
                int layer = entry.GetProperty("layer").GetInt32();
                Math.Abs(sweep[new PatchCell(kind, layer, p)].NormalizedEffect).Should().Be(max);
                entry.GetProperty("token").GetString().Should().Be(context.Tokens[p]);
            }
            for (int l = 0; l < f.Layers; l++)
            {
                var entry = agg.GetProperty("by_layer")[l];
                Num(entry.GetProperty("max_abs_normalized_effect")).Should().Be(cells.Where(x => x.First.Layer == l).Max(x => Math.Abs(x.Second.NormalizedEffect)));
            }
        }
        // Sanity: the root literal's effect is real, not an artefact of empty cells.
        Num(root.GetProperty("resid_post").GetProperty("by_position")[3].GetProperty("max_abs_normalized_effect")).Should().BeGreaterThan(0.1);
        root.GetProperty("resid_post").GetProperty("by_position")[0].GetProperty("max_abs_normalized_effect").GetDouble()
            .Should().Be(0, "position 0 precedes the first differing token");

        var heads = root.GetProperty("attn_head");
        heads.GetProperty("positions").EnumerateArray().Select(p => p.GetInt32()).Should().Equal(3, 9, f.T - 1);
        var headGrid = heads.GetProperty("normalized_effect");
        for (int l = 0; l < f.Layers; l++)
            for (int h = 0; h < f.Heads; h++)
            {
                var values = sweep.Cells.Zip(sweep.Metrics).Where(x => x.First.Kind == PatchKind.AttnHead && x.First.Layer == l && x.First.Head == h)
                    .Select(x => x.Second.NormalizedEffect).ToList();
                double? expected = values.Count == 0 ? null : values.MaxBy(Math.Abs);
                NumOrNull(headGrid[l][h]).Should().Be(expected, $"attn_head L{l} H{h}");
            }
        heads.GetProperty("by_layer")[f.Layers - 1].GetProperty("head").ValueKind.Should().Be(JsonValueKind.Null, "the last layer's heads were not swept");
    }

    [Fact(DisplayName = "Knockout results: one record per condition with its cuts and key target names, and a bar chart")]
    public void KnockoutRecords()
    {
        var (f, sweep, context) = Sweep();
        var pair = TracingFixtures.Pair(f);
        var knockouts = KnockoutRun.Run(f.Model, pair, KnockoutCondition.DirectVersusChain(f.T - 1, [3, 9], Enumerable.Range(0, f.Layers), f.Heads));
        using var dir = new RunFolder();

        var files = TracingResults.WriteKnockout(dir.Root, knockouts, sweep.Baseline, context);

        files.Select(Path.GetFileName).Should().Equal("intervention_results.json", "knockout_bars.png", "knockout_analysis.json");
        File.ReadAllBytes(files[1]).Take(8).Should().Equal(PngSignature);
        using var doc = Read(dir.Root, "intervention_results.json");
        var root = doc.RootElement;
        root.GetProperty("model").GetString().Should().Be("qwen3");
        root.GetProperty("baseline").GetProperty("counterfactual_logit_diff").GetDouble().Should().Be(sweep.Baseline.CounterfactualLogitDiff);
        root.TryGetProperty("first_difference", out _).Should().BeFalse();
        var records = root.GetProperty("interventions").EnumerateArray().ToList();
        // The framework's condition names, with Debug's own name as the target name.
        records.Select(r => r.GetProperty("condition").GetString()).Should().Equal("baseline", "direct_knockout", "chain_knockout");
        records.Select(r => r.GetProperty("target_name").GetString()).Should().Equal("baseline", "direct", "chain");
        records.Should().OnlyContain(r => r.GetProperty("type").GetString() == "attention_knockout");
        for (int i = 0; i < records.Count; i++)
        {
            var (condition, metrics) = knockouts[i];
            records[i].GetProperty("cuts").GetArrayLength().Should().Be(condition.Knockouts.Count);
            Num(records[i].GetProperty("logit_diff")).Should().Be(metrics.LogitDiff);
            Num(records[i].GetProperty("counterfactual_prob")).Should().Be(metrics.CounterfactualProb);
            records[i].GetProperty("patched_top").GetInt32().Should().Be(metrics.PatchedTop);
            // The framework's knockout fields (_11_attention_pattern_knockout.py).
            records[i].GetProperty("program_id").GetInt32().Should().Be(0);
            records[i].GetProperty("original_program").GetString().Should().Be(context.CleanProgram);
            records[i].GetProperty("token_labels").EnumerateArray().Select(t => t.GetString()).Should().Equal(context.TokenLabels);
            (records[i].GetProperty("query_pos").GetInt32(), records[i].GetProperty("root_pos").GetInt32()).Should().Be((f.T - 1, 3));
            records[i].GetProperty("intermediate_positions").EnumerateArray().Select(p => p.GetInt32()).Should().Equal(9);
            records[i].GetProperty("layer_idx").ValueKind.Should().Be(JsonValueKind.Null, "Debug's conditions cut every layer at once");
            if (i == 0)
            {
                records[i].GetProperty("knockout_effect").ValueKind.Should().Be(JsonValueKind.Null);
                records[i].GetProperty("success_rate").GetDouble().Should().Be(1.0);
            }
            else
            {
                Num(records[i].GetProperty("knockout_effect")).Should().Be(metrics.RefNormalized);
                Num(records[i].GetProperty("normalized_logit_difference")).Should().Be(metrics.RefNormalized);
                records[i].GetProperty("success_rate").GetDouble().Should().Be(metrics.RefSuccess ? 1.0 : 0.0);
            }
        }

        // knockout_analysis.json: the framework's analyze_knockout_results over the same records.
        using var analysis = Read(dir.Root, "knockout_analysis.json");
        var a = analysis.RootElement;
        a.GetProperty("total_interventions").GetInt32().Should().Be(3);
        a.GetProperty("layers_tested").EnumerateArray().Select(l => l.GetInt32()).Should().Equal(Enumerable.Range(0, f.Layers));
        a.GetProperty("heads_per_layer").GetInt32().Should().Be(f.Heads);
        double directEffect = knockouts[1].Metrics.RefNormalized, chainEffect = knockouts[2].Metrics.RefNormalized;
        var ds = a.GetProperty("direct_knockout_stats");
        (Num(ds.GetProperty("mean_effect")), Num(ds.GetProperty("max_effect"))).Should().Be((directEffect, directEffect));
        ds.GetProperty("significant_effects").GetInt32().Should().Be(Math.Abs(directEffect) > 0.1 ? 1 : 0);
        Num(ds.GetProperty("success_rate_changes")).Should().Be(knockouts[1].Metrics.RefSuccess ? 1.0 : 0.0);
        Num(a.GetProperty("chain_knockout_stats").GetProperty("mean_effect")).Should().Be(chainEffect);
        a.GetProperty("layer_breakdown").EnumerateObject().Should().BeEmpty("no condition cuts a single layer");
        a.GetProperty("dominant_mechanism").GetString().Should().Be(Math.Abs(directEffect) > Math.Abs(chainEffect) ? "direct_pointer" : "chain_following");
        Num(a.GetProperty("dominance_ratio")).Should().BeApproximately(
            Math.Max(Math.Abs(directEffect), Math.Abs(chainEffect)) / Math.Max(Math.Min(Math.Abs(directEffect), Math.Abs(chainEffect)), 1e-6), 1e-12);
        records[0].GetProperty("cuts").GetArrayLength().Should().Be(0);
        var direct = records[1].GetProperty("cuts")[0];
        (direct.GetProperty("layer").GetInt32(), direct.GetProperty("head").GetInt32(), direct.GetProperty("query").GetInt32()).Should().Be((0, 0, f.T - 1));
        direct.GetProperty("keys").EnumerateArray().Select(k => k.GetInt32()).Should().Equal(3);
        direct.GetProperty("key_targets").EnumerateArray().Select(k => k.GetString()).Should().Equal("ref_depth_1_rhs");
        records[2].GetProperty("cuts").EnumerateArray().Should().HaveCount(f.Layers * f.Heads)
            .And.OnlyContain(c => c.GetProperty("key_targets")[0].GetString() == "ref_depth_2_rhs+query_var");

        var bare = Directory.CreateDirectory(Path.Combine(dir.Root, "no_baseline")).FullName;
        TracingResults.WriteKnockout(bare, knockouts, null, context);
        using var without = Read(bare, "intervention_results.json");
        without.RootElement.GetProperty("baseline").ValueKind.Should().Be(JsonValueKind.Null, "the caller had no baseline");
    }

    [Fact(DisplayName = "knockout_analysis.json: conditions that cut one layer each get the framework's per-layer breakdown")]
    public void KnockoutLayerBreakdown()
    {
        var f = TracingFixtures.Get("qwen3");
        var conditions = KnockoutCondition.DirectVersusChain(f.T - 1, [3, 9], [0], f.Heads)
            .Concat(KnockoutCondition.DirectVersusChain(f.T - 1, [3, 9], [1], f.Heads, "@1").Skip(1)).ToList();
        var results = KnockoutRun.Run(f.Model, TracingFixtures.Pair(f), conditions);

        var analysis = TracingKnockoutAnalysis.Document(results);

        var breakdown = (Dictionary<string, object?>)analysis["layer_breakdown"]!;
        breakdown.Keys.Should().Equal("0", "1");
        var layer1 = (Dictionary<string, object?>)breakdown["1"]!;
        layer1["direct_mean_effect"].Should().Be(results[3].Metrics.RefNormalized, "direct@1 is the only direct cut of layer 1");
        layer1["chain_max_effect"].Should().Be(results[4].Metrics.RefNormalized);
        analysis["layers_tested"].Should().BeEquivalentTo(new[] { 0, 1 });
        analysis["total_interventions"].Should().Be(5);
    }

    [Fact(DisplayName = "Heatmaps draw layer 0 at the bottom and put the token text on the x axis")]
    public void HeatmapOrientation()
    {
        var values = new double[,] { { 1, 2 }, { 3, 4 }, { 5, double.NaN } };
        var plot = TracingPlots.HeatmapPlot("t", values, ["0:x", "1: \n"], ["0", "1", "2"], "token", "layer", "effect");
        var heatmap = plot.GetPlottables<ScottPlot.Plottables.Heatmap>().Single();
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 2; c++)
                heatmap.GetValue(new ScottPlot.Coordinates(c, r)).Should().Be(values[r, c], $"row {r} is drawn at y = {r}, counted from the bottom");
        // Manual ticks are only placed when the plot is rendered.
        using (plot.GetImage(640, 480)) { }
        plot.Axes.Left.TickGenerator.Ticks.Select(t => (t.Position, t.Label)).Should().Equal((0.0, "0"), (1.0, "1"), (2.0, "2"));
        // Spaces and newlines in tokens are made visible.
        plot.Axes.Bottom.TickGenerator.Ticks.Select(t => (t.Position, t.Label)).Should().Equal((0.0, "0:x"), (1.0, "1:␣\\n"));
    }

    [Fact(DisplayName = "A binding case's context labels every clean token and names ref_depth_k_rhs, query_var and prediction")]
    public void ContextForBindingCase()
    {
        var tokenizer = TokenizerFixtures.Load("qwen3");
        var c = BindingTracingCase.Create(tokenizer, hops: 3, lines: 6, seed: 11);

        var context = TracingContext.For("qwen3", c, tokenizer);

        context.Model.Should().Be("qwen3");
        context.CleanProgram.Should().Be(c.Twin.Original.Program);
        context.CounterfactualProgram.Should().Be(c.Twin.Counterfactual.Program);
        context.Tokens.Should().HaveCount(c.Pair.Length);
        string.Concat(context.Tokens).Should().Be(c.Twin.Original.Program, "byte-level tokens decoded one by one spell the program");
        context.TargetNames[c.Root].Should().Be("ref_depth_1_rhs");
        context.TargetNames[c.LinkPositions[2]].Should().Be("ref_depth_3_rhs");
        context.TargetNames[c.Targets.QueryVar.Position].Should().Be("query_var");
        // The prompt ends with the space after "#q:", so the Python framework's final_space shares the prediction position.
        (c.Targets.FinalSpace?.Position).Should().Be(c.Prediction);
        context.TargetNames[c.Prediction].Should().Be("prediction+final_space");
        context.TargetPositions().Keys.Should().Equal("ref_depth_1_rhs", "ref_depth_2_rhs", "ref_depth_3_rhs", "query_var", "prediction", "final_space");
        // The framework's token_labels are the vocabulary strings (tokenizer.tokenize): byte-level BPE marks spaces Ġ, newlines Ċ.
        context.TokenLabels.Should().Equal(c.Pair.CleanIds.Select(id => tokenizer.IdToToken((int)id)));
        context.TokenLabels.Should().Contain("Ġ=").And.Contain("Ċ");
    }

    /// <summary>A resid_post sweep of every position, mlp_out at two positions and heads at three positions below the last layer.</summary>
    private static (ReferenceFixture F, PatchSweepResult Sweep, TracingContext Context) Sweep()
    {
        var f = TracingFixtures.Get("qwen3");
        var sweep = f.Once("report-sweep", () =>
        {
            var cells = PatchCell.Grid(PatchKind.ResidPost, f.Layers, Enumerable.Range(0, f.T))
                .Concat(PatchCell.Grid(PatchKind.MlpOut, f.Layers, [3, f.T - 1]))
                .Concat(PatchCell.Grid(PatchKind.AttnHead, f.Layers - 1, [3, 9, f.T - 1], f.Heads)).ToList();
            return PatchSweep.Run(f.Model, TracingFixtures.Pair(f), cells);
        });
        var ids = TracingFixtures.Pair(f).CleanIds;
        var targets = new Dictionary<int, string> { [3] = "ref_depth_1_rhs", [9] = "ref_depth_2_rhs+query_var", [f.T - 1] = "prediction" };
        return (f, sweep, new TracingContext("qwen3", "clean program", "counterfactual program", ids.Select(i => $"t{i}").ToList(), targets,
            ids.Select(i => $"raw{i}").ToList()));
    }

    private static JsonDocument Read(string folder, string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, file)));

    // NaN is written as the string "NaN" (named floating-point literals).
    private static double Num(JsonElement e) => e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();

    private static double? NumOrNull(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : Num(e);

    private static int? Int(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt32();

    /// <summary>A temporary root, removed afterwards unless DEBUG_TRACING_REPORT_DIR asks to keep the files for a look.</summary>
    private sealed class RunFolder : IDisposable
    {
        private readonly bool _keep;

        public RunFolder()
        {
            var keep = Environment.GetEnvironmentVariable("DEBUG_TRACING_REPORT_DIR");
            _keep = keep is not null;
            Root = _keep ? Path.Combine(keep!, Guid.NewGuid().ToString("N")) : Path.Combine(Path.GetTempPath(), "debug-tracing-report-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Root);
        }

        public string Root { get; }

        public void Dispose()
        {
            if (!_keep && Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
    }
}
