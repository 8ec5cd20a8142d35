using Debug.Core;
using Debug.Core.Model.Loading;
using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Model.Loading;

public class CheckpointLoadingTests
{
    public static TheoryData<string> Architectures() => new(FixturePaths.Architectures);

    [Theory(DisplayName = "Fixture checkpoint opens and every tensor loads with its declared shape")]
    [MemberData(nameof(Architectures))]
    public void EveryTensorLoads(string arch)
    {
        using var ckpt = Checkpoint.Open(FixturePaths.Model(arch));
        ckpt.Config.ModelType.Should().Be(arch);
        ckpt.TensorNames.Should().NotBeEmpty();
        foreach (var name in ckpt.TensorNames)
        {
            using var scope = NewDisposeScope();
            var t = ckpt.Load(name, ScalarType.Float32);
            t.shape.Should().Equal(ckpt.GetInfo(name).Shape, because: name);
            t.dtype.Should().Be(ScalarType.Float32);
        }
    }

    [Fact(DisplayName = "Sharded Qwen3 checkpoint (19 shards + index) equals the single-file one tensor by tensor")]
    public void ShardedEqualsSingle()
    {
        using var single = Checkpoint.Open(FixturePaths.Model("qwen3"));
        using var sharded = Checkpoint.Open(FixturePaths.Model("qwen3", "model_sharded"));
        sharded.TensorNames.Should().BeEquivalentTo(single.TensorNames);
        foreach (var name in single.TensorNames)
        {
            using var scope = NewDisposeScope();
            single.Load(name, ScalarType.Float32).allclose(sharded.Load(name, ScalarType.Float32), 0, 0).Should().BeTrue(name);
        }
    }

    [Fact(DisplayName = "BF16 checkpoint loads as bf16 and upcasts to within bf16 rounding of the fp32 weights")]
    public void Bf16Loads()
    {
        using var fp32 = Checkpoint.Open(FixturePaths.Model("qwen3"));
        using var bf16 = Checkpoint.Open(FixturePaths.Model("qwen3", "model_bf16"));
        const string name = "model.layers.0.self_attn.q_proj.weight";
        bf16.GetInfo(name).Dtype.Should().Be("BF16");
        using var scope = NewDisposeScope();
        var raw = bf16.Load(name, ScalarType.BFloat16);
        raw.dtype.Should().Be(ScalarType.BFloat16);
        var reference = fp32.Load(name, ScalarType.Float32);
        var diff = (bf16.Load(name, ScalarType.Float32) - reference).abs().max().item<float>();
        // bf16 keeps 8 mantissa bits: relative error at most 2^-8 of the largest weight.
        diff.Should().BeLessThanOrEqualTo(reference.abs().max().item<float>() / 256f);
    }

    [Fact(DisplayName = "Writer round-trips F32, BF16, F16 and I64 tensors")]
    public void WriterRoundTrips()
    {
        using var tmp = FixturePaths.Temp();
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["a"] = TensorMath.Range(0, 12).to_type(ScalarType.Float32).reshape(3, 4),
            ["b"] = TensorMath.Range(0, 6).to_type(ScalarType.Float32).to(ScalarType.BFloat16),
            ["c"] = TensorMath.Range(0, 5).to_type(ScalarType.Float32).to(ScalarType.Float16),
            ["d"] = TensorMath.Range(0, 7),
        };
        string path = tmp.File("t.safetensors");
        SafetensorsWriter.Write(path, tensors);
        using var file = SafetensorsFile.Open(path);
        foreach (var (name, t) in tensors)
            file.Load(name, t.dtype).to(ScalarType.Float64).allclose(t.to(ScalarType.Float64), 0, 0).Should().BeTrue(name);
        Directory.GetFiles(tmp.Path).Should().ContainSingle("the temp file is renamed into place");
    }

    [Fact(DisplayName = "Opening and reading a read-only checkpoint leaves its bytes unchanged")]
    public void ReadOnlyCheckpointIsNotModified()
    {
        using var tmp = FixturePaths.Temp();
        foreach (var f in Directory.GetFiles(FixturePaths.Model("qwen3")))
        {
            string dst = tmp.File(Path.GetFileName(f));
            File.Copy(f, dst);
            File.SetAttributes(dst, FileAttributes.ReadOnly);
        }
        var before = Directory.GetFiles(tmp.Path).ToDictionary(f => f, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
        using (var ckpt = Checkpoint.Open(tmp.Path))
            foreach (var name in ckpt.TensorNames) ckpt.Load(name, ScalarType.Float32).Dispose();
        foreach (var (f, hash) in before)
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))).Should().Be(hash, f);
    }
}
