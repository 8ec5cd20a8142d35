using Debug.Core.Model.Loading;

namespace Debug.Core.Model.Architectures;

/// <summary>
/// Qwen2ForCausalLM (Qwen2, Qwen2.5): the Llama block (<see cref="Llama"/>) with biases on q, k and v but not o, and
/// no MLP bias, whatever the config says; RoPE, GQA, usually untied embeddings.
/// </summary>
internal sealed class Qwen2(ModelConfig c, WeightLoader w)
    : Llama(c, w, new Variant(QkvBias: true, OutputBias: false, MlpBias: false, QkNorm: false));
