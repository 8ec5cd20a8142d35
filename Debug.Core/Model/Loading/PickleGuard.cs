namespace Debug.Core.Model.Loading;

/// <summary>
/// Pickle checkpoints (.bin, .pt, .pth, .ckpt) can run arbitrary code when loaded, so Debug refuses them outright.
/// </summary>
public static class PickleGuard
{
    private static readonly string[] PickleExtensions = [".bin", ".pt", ".pth", ".ckpt", ".pkl"];

    /// <summary>True when the file name looks like a pickle checkpoint.</summary>
    public static bool IsPickle(string path) =>
        PickleExtensions.Contains(System.IO.Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>Throws a <see cref="CheckpointFormatException"/> telling the user to convert when the path is a pickle.</summary>
    public static void ThrowIfPickle(string path)
    {
        if (IsPickle(path))
            throw new CheckpointFormatException(path, null,
                "pickle checkpoints are never loaded (they can execute code). Convert it to safetensors, e.g. in Python: " +
                "AutoModelForCausalLM.from_pretrained(dir).save_pretrained(dir, safe_serialization=True)");
    }
}
