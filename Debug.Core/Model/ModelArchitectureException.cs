namespace Debug.Core.Model;

/// <summary>
/// A checkpoint does not fit the architecture its config names: a tensor is missing, left over, or has the wrong
/// shape, or the config asks for something the engine does not implement (an unknown model_type or RoPE type).
/// </summary>
public sealed class ModelArchitectureException(string message) : Exception(message);
