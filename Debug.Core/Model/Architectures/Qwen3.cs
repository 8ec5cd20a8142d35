using Debug.Core.Model.Loading;

namespace Debug.Core.Model.Architectures;

/// <summary>
/// Qwen3ForCausalLM: the Llama block (<see cref="Llama"/>) plus an RMSNorm over each query and key head before RoPE,
/// an explicit head_dim that need not equal hidden/heads, attention biases only when the config asks, no MLP bias,
/// GQA and (for the small models) tied embeddings.
/// </summary>
internal sealed class Qwen3(ModelConfig c, WeightLoader w)
    : Llama(c, w, new Variant(c.AttentionBias, c.AttentionBias, MlpBias: false, QkNorm: true));
