using System.Globalization;
using System.Text;

namespace Debug.Core.Tokenization;

/// <summary>
/// One HuggingFace decoder, working like HuggingFace's <c>decode_chain</c>: a list of token strings in, a list out.
/// Decoding runs the chain over the tokens of all ids (added tokens included) and concatenates the result.
/// </summary>
internal abstract class DecoderStep
{
    /// <summary>Transforms the token strings.</summary>
    public abstract List<string> Apply(List<string> tokens);

    /// <summary>Byte-level: every token is spelled in GPT-2's byte alphabet; the bytes are decoded as lossy UTF-8.</summary>
    public sealed class ByteLevel : DecoderStep
    {
        /// <inheritdoc />
        public override List<string> Apply(List<string> tokens)
        {
            var bytes = new List<byte>(tokens.Count * 4);
            foreach (var t in tokens) ByteLevelAlphabet.AppendBytes(t, bytes);
            return [Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes))];
        }
    }

    /// <summary>Literal replacement in every token (llama's "▁" to " ").</summary>
    public sealed class Replace(string pattern, string content) : DecoderStep
    {
        /// <inheritdoc />
        public override List<string> Apply(List<string> tokens) =>
            tokens.Select(t => t.Replace(pattern, content, StringComparison.Ordinal)).ToList();
    }

    /// <summary>
    /// Byte fallback: runs of "&lt;0xNN&gt;" tokens become the text their bytes spell, or one U+FFFD per byte when
    /// those bytes are not valid UTF-8.
    /// </summary>
    public sealed class ByteFallback : DecoderStep
    {
        private static readonly UTF8Encoding Strict = new(false, true);

        /// <inheritdoc />
        public override List<string> Apply(List<string> tokens)
        {
            var result = new List<string>(tokens.Count);
            var pending = new List<byte>();
            foreach (var t in tokens)
            {
                if (TryParseByte(t, out byte b))
                {
                    pending.Add(b);
                    continue;
                }
                Flush(pending, result);
                result.Add(t);
            }
            Flush(pending, result);
            return result;
        }

        private static void Flush(List<byte> pending, List<string> result)
        {
            if (pending.Count == 0) return;
            try
            {
                result.Add(Strict.GetString(pending.ToArray()));
            }
            catch (DecoderFallbackException)
            {
                for (int i = 0; i < pending.Count; i++) result.Add("\uFFFD");
            }
            pending.Clear();
        }

        /// <summary>Parses "&lt;0xNN&gt;".</summary>
        public static bool TryParseByte(string token, out byte value)
        {
            value = 0;
            return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
                && byte.TryParse(token.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
        }
    }

    /// <summary>Joins all tokens into one.</summary>
    public sealed class Fuse : DecoderStep
    {
        /// <inheritdoc />
        public override List<string> Apply(List<string> tokens) => [string.Concat(tokens)];
    }

    /// <summary>Removes up to <paramref name="start"/> leading and <paramref name="stop"/> trailing <paramref name="content"/> characters of each token.</summary>
    public sealed class Strip(char content, int start, int stop) : DecoderStep
    {
        /// <inheritdoc />
        public override List<string> Apply(List<string> tokens) => tokens.Select(StripOne).ToList();

        private string StripOne(string token)
        {
            int s = 0, e = token.Length;
            while (s < start && s < e && token[s] == content) s++;
            int removed = 0;
            while (removed < stop && e > s && token[e - 1] == content) { e--; removed++; }
            return token[s..e];
        }
    }

    /// <summary>Metaspace: "▁" back to spaces, and the prefix space of the first token removed unless prepend_scheme is "never".</summary>
    public sealed class Metaspace(string replacement, bool stripFirst) : DecoderStep
    {
        /// <inheritdoc />
        public override List<string> Apply(List<string> tokens)
        {
            var result = new List<string>(tokens.Count);
            for (int i = 0; i < tokens.Count; i++)
            {
                string t = tokens[i].Replace(replacement, " ", StringComparison.Ordinal);
                if (i == 0 && stripFirst && t.StartsWith(' ')) t = t[1..];
                result.Add(t);
            }
            return result;
        }
    }
}
