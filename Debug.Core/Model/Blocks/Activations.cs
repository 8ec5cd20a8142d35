using static TorchSharp.torch;

namespace Debug.Core.Model.Blocks;

/// <summary>The MLP non-linearities HF configs name, mapped to one function each.</summary>
internal static class Activations
{
    public static Func<Tensor, Tensor> Get(string name) => name switch
    {
        "silu" or "swish" => x => nn.functional.silu(x),
        "gelu" => x => nn.functional.gelu(x),
        // gelu_new (GPT-2), gelu_pytorch_tanh (Gemma) and gelu_fast are all the tanh approximation.
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "relu" => x => nn.functional.relu(x),
        _ => throw new ModelArchitectureException($"unsupported activation '{name}' (supported: silu, gelu, gelu_new, gelu_pytorch_tanh, relu)"),
    };
}
