using System.Text;

namespace Debug.Core.Tokenization;

/// <summary>
/// One step of a HuggingFace normalizer, applied to an <see cref="AlignedText"/> so offsets survive it. Microsoft.ML
/// .Tokenizers' <c>Normalizer</c> returns a bare string with no alignment, which would lose HuggingFace's offsets into
/// the original text; that is why normalization happens here and the BPE model is then given normalized text.
/// </summary>
internal abstract class NormalizerStep
{
    /// <summary>Transforms the text in place.</summary>
    public abstract void Apply(AlignedText text);

    /// <summary>NFC/NFD/NFKC/NFKD.</summary>
    public sealed class Unicode(NormalizationForm form) : NormalizerStep
    {
        /// <inheritdoc />
        public override void Apply(AlignedText text) => text.Normalize(form);
    }

    /// <summary>HuggingFace's <c>Prepend</c>: adds a prefix to non-empty text (llama's "▁").</summary>
    public sealed class Prepend(string prefix) : NormalizerStep
    {
        /// <inheritdoc />
        public override void Apply(AlignedText text) => text.Prepend(prefix);
    }

    /// <summary>HuggingFace's <c>Replace</c> with a literal string pattern.</summary>
    public sealed class Replace(string pattern, string content) : NormalizerStep
    {
        /// <inheritdoc />
        public override void Apply(AlignedText text) => text.Replace(pattern, content);
    }
}
