using Debug.Core.Interventions;
using Debug.Core.Model;
using Debug.Core.Model.Generation;
using FluentAssertions;
using TorchSharp;
using Xunit;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Model;

/// <summary>
/// Golden-file conformance against HuggingFace transformers: one case per fixture folder and reference tensor.
/// Float32 tensors must agree to abs 1e-4; generated tokens exactly.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    // Inputs of the reference runs, not outputs to compare.
    private static readonly HashSet<string> Inputs =
        ["single.input_ids", "batch.input_ids", "batch.attention_mask", "batch.position_ids", "patch.corrupt_ids"];

    public static IEnumerable<TheoryDataRow<string>> Cases() => NamedRows.Of(nameof(Conformance), CaseNames());

    private static IEnumerable<string> CaseNames()
    {
        foreach (var folder in ReferenceFixture.AllFolders())
        {
            var name = ReferenceFixture.DisplayName(folder);
            foreach (var t in ReferenceFile.ReadNames(Path.Combine(folder, "reference.safetensors")).Order(StringComparer.Ordinal))
                if (!Inputs.Contains(t)) yield return $"{name}: {t}";
            if (Directory.Exists(Path.Combine(folder, "model_sharded"))) yield return $"{name}: sharded.logits";
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conformance(string @case)
    {
        int sep = @case.LastIndexOf(": ", StringComparison.Ordinal);
        string name = @case[..sep], tensorName = @case[(sep + 2)..];
        var folder = ReferenceFixture.AllFolders().First(f => ReferenceFixture.DisplayName(f) == name);
        var f = ReferenceFixture.Get(folder);
        using var scope = NewDisposeScope();
        var r = f.Reference;
        var parts = tensorName.Split('.');
        switch (parts[0], parts[1])
        {
            case ("single", "logits"):
                Log(TensorAssert.Close($"{name}: {tensorName}", SingleLogits(f), r[tensorName], extra: () => Bisect(f, f.Model)));
                break;
            case ("single", _):
                Log(TensorAssert.Close($"{name}: {tensorName}", SingleActivation(f, tensorName), r[tensorName]));
                break;
            case ("batch", "logits"):
            {
                // Position ids left to the engine: it must derive cumsum(mask) - 1 itself.
                var logits = f.Model.Forward(r["batch.input_ids"], r["batch.attention_mask"]);
                Log(TensorAssert.Close($"{name}: {tensorName}", logits, r[tensorName]));
                break;
            }
            case ("generate", "single"):
                Generated(f, r["single.input_ids"], null).Should().Equal(r[tensorName].data<long>().ToArray(), $"{name}: {tensorName}");
                break;
            case ("generate", "batch"):
                Generated(f, r["batch.input_ids"], r["batch.attention_mask"]).Should()
                    .Equal(r[tensorName].data<long>().ToArray(), $"{name}: {tensorName}");
                break;
            case ("patch", "corrupt_logits_last"):
                Log(TensorAssert.Close($"{name}: {tensorName}", f.Model.Forward(r["patch.corrupt_ids"], logitPositions: [-1]), r[tensorName]));
                break;
            case ("patch", "resid_post"):
                Log(TensorAssert.Close($"{name}: {tensorName}", PatchSweep(f, HookPoint.ResidPost), r[tensorName]));
                break;
            case ("patch", "mlp_out"):
                Log(TensorAssert.Close($"{name}: {tensorName}", PatchSweep(f, HookPoint.MlpOut), r[tensorName]));
                break;
            case ("patch", "attn_head"):
                Log(TensorAssert.Close($"{name}: {tensorName}", HeadPatchSweep(f), r[tensorName]));
                break;
            case ("knockout", "logits_last"):
                Log(TensorAssert.Close($"{name}: {tensorName}", Knockouts(f), r[tensorName]));
                break;
            case ("bf16", "logits"):
            {
                // bf16 weights upcast to float32: the reference ran in float32 after the same upcast. It was made with
                // model.to(bfloat16).float(), which also rounded RoPE's inv_freq buffer to bf16 (worth 4e-3 in the logits).
                using var model = CausalLanguageModel.Load(Path.Combine(f.Folder, "model_bf16"), ScalarType.Float32, ScalarType.BFloat16);
                Log(TensorAssert.Close($"{name}: {tensorName}", model.Forward(r["single.input_ids"]), r[tensorName]));
                break;
            }
            case ("sharded", "logits"):
            {
                using var model = CausalLanguageModel.Load(Path.Combine(f.Folder, "model_sharded"), ScalarType.Float32);
                Log(TensorAssert.Close($"{name}: {tensorName} (model_sharded vs single.logits)", model.Forward(r["single.input_ids"]),
                    r["single.logits"], extra: () => Bisect(f, model)));
                break;
            }
            default:
                throw new XunitException($"{name}: no conformance check knows reference tensor '{tensorName}'");
        }
    }

    private void Log(double maxAbsDiff) => output.WriteLine($"max abs diff {maxAbsDiff:G3}");

    private static Tensor SingleLogits(ReferenceFixture f) =>
        f.Once("single.logits", () => f.Model.Forward(f.Reference["single.input_ids"]).DetachFromDisposeScope());

    /// <summary>One hooked forward capturing every activation the reference has, shared by all activation cases.</summary>
    private static ActivationCache SingleCache(ReferenceFixture f) => f.Once("single.cache", () =>
    {
        var hooks = new HookSet().Capture(HookPoint.FinalNormalized).Capture(HookPoint.ResidPre(0));
        for (int l = 0; l < f.Layers; l++)
            hooks.Capture(HookPoint.ResidPost(l)).Capture(HookPoint.AttnZ(l)).Capture(HookPoint.MlpOut(l)).Capture(HookPoint.AttnPattern(l));
        using var scope = NewDisposeScope();
        f.Model.Forward(f.Reference["single.input_ids"], hooks: hooks);
        return hooks.Cache;
    });

    private static Tensor SingleActivation(ReferenceFixture f, string tensorName)
    {
        var cache = SingleCache(f);
        var parts = tensorName.Split('.');
        int layer = parts.Length > 2 ? int.Parse(parts[2]) : -1;
        return parts[1] switch
        {
            "resid_pre" => cache[HookPoint.ResidPre(layer)][0],
            "resid_post" => cache[HookPoint.ResidPost(layer)][0],
            "attn_z" => cache[HookPoint.AttnZ(layer)][0].reshape(f.T, -1), // [T, H, D] -> [T, H*D] as o_proj sees it
            "mlp_out" => cache[HookPoint.MlpOut(layer)][0],
            "final_norm" => cache[HookPoint.FinalNormalized][0],
            "attn_probs" => stack(Enumerable.Range(0, f.Layers).Select(l => cache[HookPoint.AttnPattern(l)][0]), 0),
            _ => throw new XunitException($"{f.Name}: unknown activation '{tensorName}'"),
        };
    }

    // When logits disagree, name the first layer whose output already does.
    private static string Bisect(ReferenceFixture f, CausalLanguageModel model)
    {
        using var hooks = new HookSet();
        for (int l = 0; l < f.Layers; l++) hooks.Capture(HookPoint.ResidPost(l));
        using var scope = NewDisposeScope();
        model.Forward(f.Reference["single.input_ids"], hooks: hooks);
        for (int l = 0; l < f.Layers; l++)
        {
            var key = $"single.resid_post.{l}";
            if (!f.Reference.Contains(key)) break;
            var (d, where, _, _) = TensorAssert.Worst(hooks.Cache[HookPoint.ResidPost(l)][0], f.Reference[key]);
            if (d > TensorAssert.Tolerance) return $"first diverging layer: {l} (resid_post max abs diff {d:G4} at {where})";
        }
        return "every layer's resid_post is within tolerance: the divergence is in the final norm or the unembedding";
    }

    private static long[] Generated(ReferenceFixture f, Tensor ids, Tensor? mask) =>
        GreedyGenerator.Generate(f.Model, ids, mask, new GenerationOptions(8, EosTokenIds: []))
            .SelectMany(row => row.Select(t => (long)t)).ToArray();

    private static ActivationCache CorruptCache(ReferenceFixture f) => f.Once("corrupt.cache", () =>
    {
        var hooks = new HookSet();
        for (int l = 0; l < f.Layers; l++)
            hooks.Capture(HookPoint.ResidPost(l)).Capture(HookPoint.MlpOut(l)).Capture(HookPoint.AttnZ(l));
        using var scope = NewDisposeScope();
        f.Model.Forward(f.Reference["patch.corrupt_ids"], hooks: hooks);
        return hooks.Cache;
    });

    /// <summary>[layers, T, vocab]: per layer one batched forward whose row p patches position p (a different patch per row).</summary>
    private static Tensor PatchSweep(ReferenceFixture f, Func<int, string> hook)
    {
        var corrupt = CorruptCache(f);
        var clean = f.Reference["single.input_ids"];
        var perLayer = new List<Tensor>();
        for (int l = 0; l < f.Layers; l++)
        {
            var hooks = new HookSet();
            var source = corrupt[hook(l)];
            for (int p = 0; p < f.T; p++) hooks.Add(new Patch(hook(l), p, [p], null, source[0].narrow(0, p, 1)));
            perLayer.Add(f.Model.Forward(clean.expand(f.T, -1), logitPositions: [-1], hooks: hooks).squeeze(1));
        }
        return stack(perLayer, 0);
    }

    /// <summary>[layers, heads, positions, vocab]: head h's hook_z slice at each reference position.</summary>
    private static Tensor HeadPatchSweep(ReferenceFixture f)
    {
        var corrupt = CorruptCache(f);
        var positions = f.Json.GetProperty("patch.attn_head.positions").EnumerateArray().Select(p => p.GetInt32()).ToArray();
        var clean = f.Reference["single.input_ids"];
        var perLayer = new List<Tensor>();
        for (int l = 0; l < f.Layers; l++)
        {
            var hooks = new HookSet();
            var z = corrupt[HookPoint.AttnZ(l)][0]; // [T, H, D]
            int row = 0;
            for (int h = 0; h < f.Heads; h++)
                foreach (var p in positions)
                    hooks.Add(new Patch(HookPoint.AttnZ(l), row++, [p], h, z[p, h].unsqueeze(0)));
            var logits = f.Model.Forward(clean.expand(row, -1), logitPositions: [-1], hooks: hooks).squeeze(1);
            perLayer.Add(logits.view(f.Heads, positions.Length, -1));
        }
        return stack(perLayer, 0);
    }

    /// <summary>Every knockout spec in its own batch row of one forward.</summary>
    private static Tensor Knockouts(ReferenceFixture f)
    {
        var specs = f.Json.GetProperty("knockout.spec").EnumerateArray().ToList();
        var hooks = new HookSet();
        for (int i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            hooks.Add(new AttentionKnockout(s.GetProperty("layer").GetInt32(), s.GetProperty("head").GetInt32(),
                s.GetProperty("query_pos").GetInt32(), s.GetProperty("key_positions").EnumerateArray().Select(k => k.GetInt32()).ToList(), i));
        }
        return f.Model.Forward(f.Reference["single.input_ids"].expand(specs.Count, -1), logitPositions: [-1], hooks: hooks).squeeze(1);
    }
}
