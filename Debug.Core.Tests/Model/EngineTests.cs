using Debug.Core;
using System.Security.Cryptography;
using Debug.Core.Interventions;
using Debug.Core.Model;
using Debug.Core.Model.Generation;
using Debug.Core.Model.Loading;
using Debug.Core.Tests.Model.Loading;
using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Model;

/// <summary>Engine behaviour beyond the golden files: read-only checkpoints, typed errors, hooks, stopping rules, bf16.</summary>
public sealed class EngineTests
{
    private static ReferenceFixture Qwen3 => ReferenceFixture.Get(Path.Combine(FixturePaths.HfReference, "qwen3"));

    [Fact(DisplayName = "Loading, running, patching and generating never write to the checkpoint files")]
    public void CheckpointStaysUntouched()
    {
        using var tmp = FixturePaths.Temp();
        var src = FixturePaths.Model("qwen3");
        foreach (var f in Directory.GetFiles(src))
        {
            var dst = tmp.File(Path.GetFileName(f));
            File.Copy(f, dst);
            File.SetAttributes(dst, FileAttributes.ReadOnly);
        }
        var before = Directory.GetFiles(tmp.Path).Order().ToDictionary(f => f, f => (Hash(f), File.GetLastWriteTimeUtc(f)));

        using (var model = CausalLanguageModel.Load(tmp.Path))
        using (var scope = NewDisposeScope())
        {
            var ids = Qwen3.Reference["single.input_ids"];
            using var hooks = new HookSet().Capture(HookPoint.ResidPost(0));
            model.Forward(ids, hooks: hooks);
            var patch = new HookSet().Add(new Patch(HookPoint.ResidPost(0), 0, [3], null, hooks.Cache[HookPoint.ResidPost(0)][0].narrow(0, 5, 1)));
            model.Forward(ids, logitPositions: [-1], hooks: patch);
            GreedyGenerator.Generate(model, ids, null, new GenerationOptions(3));
        }

        Directory.GetFiles(tmp.Path).Order().ToDictionary(f => f, f => (Hash(f), File.GetLastWriteTimeUtc(f)))
            .Should().BeEquivalentTo(before, "the engine only reads checkpoints");
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Rewrites the qwen3 fixture with <paramref name="edit"/> applied to its tensors and returns the load error.</summary>
    private static string LoadErrorAfter(Action<Dictionary<string, Tensor>> edit)
    {
        using var tmp = FixturePaths.Temp();
        var src = FixturePaths.Model("qwen3");
        foreach (var f in Directory.GetFiles(src).Where(f => !f.EndsWith(".safetensors"))) File.Copy(f, tmp.File(Path.GetFileName(f)));
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>();
        using (var file = SafetensorsFile.Open(Path.Combine(src, "model.safetensors")))
            foreach (var name in file.Tensors.Keys) tensors[name] = file.Load(name, ScalarType.Float32);
        edit(tensors);
        SafetensorsWriter.Write(tmp.File("model.safetensors"), tensors);
        var act = () => CausalLanguageModel.Load(tmp.Path).Dispose();
        return act.Should().Throw<ModelArchitectureException>().Which.Message;
    }

    [Fact(DisplayName = "A missing tensor is reported by name")]
    public void MissingTensor() =>
        LoadErrorAfter(t => t.Remove("model.layers.1.self_attn.k_norm.weight"))
            .Should().Contain("missing tensor 'model.layers.1.self_attn.k_norm.weight'");

    [Fact(DisplayName = "A tensor the architecture does not use is reported by name")]
    public void UnexpectedTensor() =>
        LoadErrorAfter(t => t["model.layers.0.self_attn.o_proj.bias"] = zeros(64))
            .Should().Contain("unexpected").And.Contain("model.layers.0.self_attn.o_proj.bias");

    [Fact(DisplayName = "A tensor whose shape disagrees with the config is reported with both shapes")]
    public void WrongShape() =>
        LoadErrorAfter(t => t["model.layers.2.mlp.up_proj.weight"] = zeros(127, 64))
            .Should().Contain("model.layers.2.mlp.up_proj.weight").And.Contain("[127, 64]").And.Contain("[128, 64]");

    [Fact(DisplayName = "An unknown model_type is refused, naming the supported ones")]
    public void UnknownModelType()
    {
        using var tmp = FixturePaths.Temp();
        foreach (var f in Directory.GetFiles(FixturePaths.Model("llama"))) File.Copy(f, tmp.File(Path.GetFileName(f)));
        File.WriteAllText(tmp.File("config.json"), File.ReadAllText(tmp.File("config.json")).Replace("\"llama\"", "\"mistral\""));
        var act = () => CausalLanguageModel.Load(tmp.Path);
        act.Should().Throw<Exception>().Which.Message.Should().Contain("unknown model_type").And.Contain("mistral").And.Contain("qwen3");
    }

    [Fact(DisplayName = "Hooks: resid_pre of layer L+1 is resid_post of layer L, and a no-op patch changes nothing")]
    public void HookIdentities()
    {
        using var scope = NewDisposeScope();
        var model = Qwen3.Model;
        var ids = Qwen3.Reference["single.input_ids"];
        using var hooks = new HookSet().Capture(HookPoint.ResidPost(0)).Capture(HookPoint.ResidPre(1), [2, 7]);
        var clean = model.Forward(ids, hooks: hooks);
        TensorAssert.Close("resid_pre.1", hooks.Cache[HookPoint.ResidPre(1)], hooks.Cache[HookPoint.ResidPost(0)].index_select(1, tensor(new long[] { 2, 7 })), 0);
        var same = new HookSet().Add(new Patch(HookPoint.ResidPost(0), 0, [4], null, hooks.Cache[HookPoint.ResidPost(0)][0].narrow(0, 4, 1)));
        TensorAssert.Close("no-op patch", model.Forward(ids, hooks: same), clean, 0);
        // Logits only where asked equal the full run's rows there.
        TensorAssert.Close("logit positions", model.Forward(ids, logitPositions: [3, -1]), clean.index_select(1, tensor(new long[] { 3, 19 })), 1e-6);
    }

    [Fact(DisplayName = "Hooks: resid_post = resid_pre + attn_out + mlp_out, and pattern reads at query positions slice the full pattern")]
    public void SublayerHooksAddUp()
    {
        using var scope = NewDisposeScope();
        var ids = Qwen3.Reference["single.input_ids"];
        using var hooks = new HookSet().Capture(HookPoint.ResidPre(1)).Capture(HookPoint.AttnOut(1)).Capture(HookPoint.MlpOut(1))
            .Capture(HookPoint.ResidPost(1)).Capture(HookPoint.AttnPattern(2), [5, 19]);
        Qwen3.Model.Forward(ids, hooks: hooks);
        var c = hooks.Cache;
        TensorAssert.Close("resid_post.1", c[HookPoint.ResidPre(1)].Plus(c[HookPoint.AttnOut(1)]).Plus(c[HookPoint.MlpOut(1)]), c[HookPoint.ResidPost(1)], 1e-5);
        var probs = Qwen3.Reference["single.attn_probs"][2].index_select(1, tensor(new long[] { 5, 19 }));
        TensorAssert.Close("pattern rows 5 and 19 of layer 2", c[HookPoint.AttnPattern(2)][0], probs);
        c[HookPoint.AttnPattern(2)].shape.Should().Equal(1, 4, 2, 20);
    }

    [Fact(DisplayName = "A patch with a wrong row, position or value shape is refused with a message naming the hook")]
    public void BadPatchesAreRefused()
    {
        using var scope = NewDisposeScope();
        var ids = Qwen3.Reference["single.input_ids"];
        var hook = HookPoint.ResidPost(0);
        foreach (var (patch, message) in new (Patch, string)[]
        {
            (new Patch(hook, 1, [0], null, zeros(1, 64)), "*batch row 1*"),
            (new Patch(hook, 0, [20], null, zeros(1, 64)), "*position 20*"),
            (new Patch(hook, 0, [0, 1], null, zeros(1, 64)), "*value has 64 elements*need 128*"),
            (new Patch(hook, 0, [0], 1, zeros(1, 64)), "*head 1*"),
            (new Patch(HookPoint.AttnZ(0), 0, [0], 4, zeros(1, 32)), "*head 4*"),
        })
        {
            var act = () => Qwen3.Model.Forward(ids, hooks: new HookSet().Add(patch));
            act.Should().Throw<ArgumentException>().WithMessage("patch at " + patch.Hook + message);
        }
    }

    [Fact(DisplayName = "LeftPadding rebuilds the reference batch from its unpadded rows")]
    public void LeftPaddingMatchesReference()
    {
        using var scope = NewDisposeScope();
        var ids = Qwen3.Reference["batch.input_ids"];
        var mask = Qwen3.Reference["batch.attention_mask"];
        var rows = Enumerable.Range(0, 3).Select(b =>
        {
            var row = ids[b].data<long>().ToArray();
            var m = mask[b].data<long>().ToArray();
            return (IReadOnlyList<int>)row.Where((_, i) => m[i] == 1).Select(x => (int)x).ToList();
        }).ToList();
        var (padded, padMask) = LeftPadding.Pad(rows);
        padded.data<long>().ToArray().Should().Equal(ids.data<long>().ToArray());
        padMask.data<long>().ToArray().Should().Equal(mask.data<long>().ToArray());
    }

    [Fact(DisplayName = "Generation stops each row at EOS or at a stop string, and other rows carry on unchanged")]
    public void StoppingRules()
    {
        using var scope = NewDisposeScope();
        var f = Qwen3;
        var batch = f.Reference["batch.input_ids"];
        var mask = f.Reference["batch.attention_mask"];
        var expected = f.Reference["generate.batch"].data<long>().ToArray().Chunk(8).Select(r => r.Select(x => (int)x).ToArray()).ToArray();
        // EOS = row 1's third token (its first occurrence there); rows 0 and 2 never emit it and must run to 8.
        int eos = expected[1][2];
        Array.IndexOf(expected[1], eos).Should().Be(2);
        var rows = GreedyGenerator.Generate(f.Model, batch, mask, new GenerationOptions(8, EosTokenIds: [eos]));
        rows[1].Should().Equal(expected[1].Take(3));
        foreach (var r in new[] { 0, 2 })
        {
            int cut = Array.IndexOf(expected[r], eos);
            rows[r].Should().Equal(cut < 0 ? expected[r] : expected[r].Take(cut + 1));
        }
        string Decode(IReadOnlyList<int> ids) => string.Concat(ids.Select(i => $"<{i}>"));
        var stopped = GreedyGenerator.Generate(f.Model, f.Reference["single.input_ids"], null,
            new GenerationOptions(8, EosTokenIds: [], StopStrings: [$"<{f.Reference["generate.single"][4].item<long>()}>"], Decode: Decode));
        var single = f.Reference["generate.single"].data<long>().ToArray().Select(x => (int)x).ToArray();
        stopped[0].Should().Equal(single.Take(Array.IndexOf(single, single[4]) + 1));
    }

    [Fact(DisplayName = "bfloat16 compute stays close to float32 and agrees on the top token")]
    public void Bf16Compute()
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.Load(FixturePaths.Model("qwen3"), ScalarType.BFloat16);
        var f = Qwen3;
        var logits = model.Forward(f.Reference["single.input_ids"]);
        var reference = f.Reference["single.logits"];
        var diff = (logits[0] - reference).abs().max().item<float>() / reference.abs().max().item<float>();
        diff.Should().BeLessThan(0.05f, "bf16 keeps about three significant digits, compounded over three layers");
        var agree = logits[0].argmax(-1).eq(reference.argmax(-1)).to_type(ScalarType.Float32).mean().item<float>();
        agree.Should().BeGreaterThanOrEqualTo(0.9f);
    }
}
