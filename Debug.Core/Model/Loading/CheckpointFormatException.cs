namespace Debug.Core.Model.Loading;

/// <summary>
/// A checkpoint (config.json, safetensors file or index) is malformed or disagrees with itself.
/// The message always names the file and, where there is one, the tensor or field at fault.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/>, optionally naming the tensor or field.</summary>
    public CheckpointFormatException(string file, string? tensorOrField, string problem, Exception? inner = null)
        : base(Format(file, tensorOrField, problem), inner)
    {
        FilePath = file;
        TensorOrField = tensorOrField;
        Problem = problem;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The tensor name or config field at fault, or null when the problem is the file as a whole.</summary>
    public string? TensorOrField { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Format(string file, string? what, string problem) =>
        what is null ? $"{file}: {problem}" : $"{file}: '{what}': {problem}";
}

/// <summary>A model could not be found on disk; the message says where we looked and how to download it.</summary>
public sealed class ModelNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelNotFoundException(string model, string message) : base(message) => Model = model;

    /// <summary>The id or path that was asked for.</summary>
    public string Model { get; }
}
