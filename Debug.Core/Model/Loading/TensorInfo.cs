namespace Debug.Core.Model.Loading;

/// <summary>Where one tensor lives in a safetensors file, as declared by its header.</summary>
/// <param name="Name">The tensor's name (HuggingFace parameter name).</param>
/// <param name="Dtype">The safetensors dtype string: F32, BF16, F16 or I64.</param>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="DataStart">Start of the data, relative to the end of the header.</param>
/// <param name="DataEnd">End (exclusive) of the data, relative to the end of the header.</param>
public sealed record TensorInfo(string Name, string Dtype, long[] Shape, long DataStart, long DataEnd)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
