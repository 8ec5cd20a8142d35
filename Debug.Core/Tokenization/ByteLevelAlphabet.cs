using System.Text;

namespace Debug.Core.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-character table used by every byte-level BPE vocabulary: printable Latin-1 bytes stand
/// for themselves and the other 68 bytes (controls, space, soft hyphen...) are shifted to U+0100 upwards, so a space
/// reads 'Ġ' and a newline 'Ċ'. Needed to look whole words up in the vocabulary (ignore_merges), to decode, and to
/// spell tiktoken's raw-byte tokens the way HuggingFace vocabularies do.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly Dictionary<char, byte> CharToByte = BuildReverse();

    private static char[] BuildTable()
    {
        var table = new char[256];
        int shifted = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)(256 + shifted++);
        }
        return table;
    }

    private static Dictionary<char, byte> BuildReverse()
    {
        var map = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++) map[ByteToChar[b]] = (byte)b;
        return map;
    }

    /// <summary>The character that stands for <paramref name="b"/>.</summary>
    public static char Encode(byte b) => ByteToChar[b];

    /// <summary>Spells raw bytes in the byte-level alphabet.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (dst, src) =>
        {
            for (int i = 0; i < src.Length; i++) dst[i] = ByteToChar[src[i]];
        });
    }

    /// <summary>Spells the UTF-8 bytes of <paramref name="text"/> in the byte-level alphabet.</summary>
    public static string EncodeUtf8(ReadOnlySpan<char> text)
    {
        int count = Encoding.UTF8.GetByteCount(text);
        Span<byte> bytes = count <= 512 ? stackalloc byte[count] : new byte[count];
        Encoding.UTF8.GetBytes(text, bytes);
        return Encode(bytes);
    }

    /// <summary>
    /// Appends the bytes a token stands for. As in HuggingFace's ByteLevel decoder, a token containing any character
    /// outside the alphabet (an added token such as "&lt;｜begin▁of▁sentence｜&gt;") contributes its own UTF-8 bytes.
    /// </summary>
    public static void AppendBytes(string token, List<byte> output)
    {
        foreach (char c in token)
        {
            if (!CharToByte.ContainsKey(c))
            {
                output.AddRange(Encoding.UTF8.GetBytes(token));
                return;
            }
        }
        foreach (char c in token) output.Add(CharToByte[c]);
    }
}
