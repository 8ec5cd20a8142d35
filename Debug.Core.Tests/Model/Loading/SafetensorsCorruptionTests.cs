using System.Text;
using Debug.Core.Model.Loading;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Model.Loading;

/// <summary>Every way a safetensors file can be broken gives a typed error naming the file and the tensor.</summary>
public class SafetensorsCorruptionTests
{
    private static byte[] FileWithHeader(string json, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(json);
        return [.. BitConverter.GetBytes((ulong)h.Length), .. h, .. new byte[dataBytes]];
    }

    private static CheckpointFormatException OpenFails(byte[] bytes)
    {
        using var tmp = FixturePaths.Temp();
        string path = tmp.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        var act = () => SafetensorsFile.Open(path).Dispose();
        var e = act.Should().Throw<CheckpointFormatException>().Which;
        e.FilePath.Should().Be(path);
        e.Message.Should().Contain(path);
        return e;
    }

    public static TheoryData<string, byte[], string?, string> BrokenFiles() => new()
    {
        { "empty file", [], null, "truncated" },
        { "truncated length prefix", [1, 0, 0], null, "truncated" },
        { "header length past the end", [.. BitConverter.GetBytes(1000UL), .. "{}"u8.ToArray()], null, "past the end" },
        { "invalid header JSON", FileWithHeader("{\"w\": {\"dtype\": ", 0), null, "invalid header JSON" },
        { "header is an array", FileWithHeader("[1,2]", 0), null, "not an object" },
        { "unknown dtype", FileWithHeader("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2), "w", "unknown dtype" },
        { "offsets past the data", FileWithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8), "w", "past the data" },
        { "offsets disagree with shape", FileWithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "w", "needs 12" },
        { "negative shape", FileWithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0), "w", "shape[0]" },
        { "reversed offsets", FileWithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 8), "w", "begin <= end" },
        { "overlapping tensors", FileWithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "b", "overlaps" },
        { "missing dtype", FileWithHeader("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "w", "dtype" },
    };

    [Theory(DisplayName = "Broken safetensors file is a typed error")]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenFileIsTypedError(string what, byte[] bytes, string? tensor, string messagePart)
    {
        var e = OpenFails(bytes);
        e.TensorOrField.Should().Be(tensor, what);
        e.Problem.Should().Contain(messagePart, what);
    }

    [Theory(DisplayName = "Pickle checkpoints are refused with advice to convert")]
    [InlineData("pytorch_model.bin")]
    [InlineData("model.pt")]
    public void PickleRefused(string name)
    {
        using var tmp = FixturePaths.Temp();
        File.Copy(Path.Combine(FixturePaths.Model("qwen3"), "config.json"), tmp.File("config.json"));
        File.WriteAllBytes(tmp.File(name), [0x80, 0x02]);
        var e = FluentActions.Invoking(() => Checkpoint.Open(tmp.Path)).Should().Throw<CheckpointFormatException>().Which;
        e.Message.Should().Contain(name).And.Contain("safetensors");
        FluentActions.Invoking(() => SafetensorsFile.Open(tmp.File(name))).Should().Throw<CheckpointFormatException>();
    }

    [Fact(DisplayName = "Fuzz: 3000 random mutations of a real header either load or raise CheckpointFormatException")]
    public void FuzzHeader()
    {
        byte[] original = File.ReadAllBytes(Path.Combine(FixturePaths.Model("qwen3"), "model.safetensors"));
        int headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);
        var rng = new Random(1234); // test-local fuzzing; reproducible with the fixed seed
        using var tmp = FixturePaths.Temp();
        string path = tmp.File("fuzz.safetensors");
        int typed = 0, loaded = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] mutated = Mutate(original, headerEnd, rng);
            File.WriteAllBytes(path, mutated);
            try
            {
                using var f = SafetensorsFile.Open(path);
                foreach (var name in f.Tensors.Keys.Take(3)) f.Load(name, ScalarType.Float32).Dispose();
                loaded++;
            }
            catch (CheckpointFormatException) { typed++; }
        }
        (typed + loaded).Should().Be(3000);
        typed.Should().BeGreaterThan(1000, "most random header mutations must be detected");
    }

    private static byte[] Mutate(byte[] original, int headerEnd, Random rng)
    {
        byte[] b = (byte[])original.Clone();
        switch (rng.Next(5))
        {
            case 0: // flip bytes in the JSON header
                for (int k = 0, n = rng.Next(1, 4); k < n; k++) b[rng.Next(8, headerEnd)] = (byte)rng.Next(256);
                return b;
            case 1: // replace a digit in the header with another digit (offsets, shapes)
                for (int k = 0; k < 50; k++)
                {
                    int at = rng.Next(8, headerEnd);
                    if (b[at] is >= (byte)'0' and <= (byte)'9') { b[at] = (byte)('0' + rng.Next(10)); break; }
                }
                return b;
            case 2: // corrupt the length prefix
                b[rng.Next(0, 8)] = (byte)rng.Next(256);
                return b;
            case 3: // truncate anywhere
                return b[..rng.Next(0, b.Length)];
            default: // insert a random byte into the header
                int pos = rng.Next(8, headerEnd);
                return [.. b[..pos], (byte)rng.Next(256), .. b[pos..]];
        }
    }
}
