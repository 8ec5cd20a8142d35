using System.Globalization;

namespace Debug.Core.Tests.Interpreter;

/// <summary>Kinds of token in the Python subset the generators emit.</summary>
internal enum TokenKind { Name, Number, Op, End }

/// <summary>One token of a logical line.</summary>
internal readonly record struct PyToken(TokenKind Kind, string Text, long Number = 0)
{
    public override string ToString() => Kind == TokenKind.End ? "<end>" : Text;
}

/// <summary>
/// Splits one source line (without its indentation) into tokens. Everything from '#' on is a comment. Written from
/// the Python language reference, independently of the generators, so it can check them.
/// </summary>
internal static class PyLexer
{
    // Longest operators first so "//=" is not read as "/" "/" "=".
    private static readonly string[] Operators =
        ["//=", "+=", "-=", "%=", "==", "!=", "<=", ">=", "//", "+", "-", "*", "%", "(", ")", ",", "=", "<", ">", ":"];

    public static List<PyToken> Tokenize(string line)
    {
        var tokens = new List<PyToken>();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (c == '#')
            {
                break;
            }
            if (c is ' ' or '\t' or '\r')
            {
                i++;
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                int start = i;
                while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
                string digits = line[start..i];
                tokens.Add(new PyToken(TokenKind.Number, digits, long.Parse(digits, CultureInfo.InvariantCulture)));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_')) i++;
                tokens.Add(new PyToken(TokenKind.Name, line[start..i]));
                continue;
            }
            string? op = Operators.FirstOrDefault(o => string.CompareOrdinal(line, i, o, 0, o.Length) == 0);
            if (op is null)
            {
                throw new FormatException($"Unexpected character '{c}' in \"{line}\".");
            }
            tokens.Add(new PyToken(TokenKind.Op, op));
            i += op.Length;
        }
        tokens.Add(new PyToken(TokenKind.End, ""));
        return tokens;
    }
}
