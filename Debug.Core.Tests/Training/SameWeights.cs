using Debug.Core.Model.Loading;
using FluentAssertions;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Training;

/// <summary>Bit-for-bit comparison of two checkpoints' tensors, as the trainers' resume and determinism tests need.</summary>
internal static class SameWeights
{
    /// <summary>Asserts that every tensor of <paramref name="expectedFolder"/> equals <paramref name="actualFolder"/>'s exactly.</summary>
    public static void Assert(string expectedFolder, string actualFolder)
    {
        using var a = Checkpoint.Open(expectedFolder);
        using var b = Checkpoint.Open(actualFolder);
        b.TensorNames.Should().BeEquivalentTo(a.TensorNames);
        foreach (var name in a.TensorNames)
        {
            using var scope = NewDisposeScope();
            a.Load(name, ScalarType.Float32).allclose(b.Load(name, ScalarType.Float32), 0, 0).Should().BeTrue(name);
        }
    }
}
