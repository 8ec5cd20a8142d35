namespace Debug.Core.Tests.Interpreter;

/// <summary>
/// Recursive-descent parser for the subset: indentation-delimited blocks, assignments (including tuple and
/// augmented), <c>for .. in range(..)</c>, <c>if/else</c>, <c>try/except Name</c>, and expressions with Python's
/// precedence (or &lt; and &lt; not &lt; comparison &lt; + - &lt; * // % &lt; unary minus &lt; atoms).
/// </summary>
internal sealed class PyParser
{
    private sealed record SourceLine(int Number, int Indent, List<PyToken> Tokens);

    private readonly List<SourceLine> _lines = [];
    private int _index;
    private List<PyToken> _tokens = [];
    private int _pos;

    private PyParser(string source)
    {
        string[] raw = source.Split('\n');
        for (int n = 0; n < raw.Length; n++)
        {
            string text = raw[n];
            int indent = text.Length - text.TrimStart(' ').Length;
            var tokens = PyLexer.Tokenize(text[indent..]);
            if (tokens.Count > 1) // skip blank and comment-only lines
            {
                _lines.Add(new SourceLine(n, indent, tokens));
            }
        }
    }

    public static IReadOnlyList<Stmt> Parse(string source)
    {
        var parser = new PyParser(source);
        var block = parser.ParseBlock(0);
        if (parser._index != parser._lines.Count)
        {
            throw new FormatException($"Unexpected indentation on line {parser._lines[parser._index].Number}.");
        }
        return block;
    }

    private List<Stmt> ParseBlock(int indent)
    {
        var block = new List<Stmt>();
        while (_index < _lines.Count && _lines[_index].Indent == indent)
        {
            block.Add(ParseStatement(indent));
        }
        if (_index < _lines.Count && _lines[_index].Indent > indent)
        {
            throw new FormatException($"Unexpected indent on line {_lines[_index].Number}.");
        }
        return block;
    }

    private List<Stmt> ParseSuite(int headerIndent)
    {
        if (_index >= _lines.Count || _lines[_index].Indent <= headerIndent)
        {
            throw new FormatException("Expected an indented block.");
        }
        return ParseBlock(_lines[_index].Indent);
    }

    private Stmt ParseStatement(int indent)
    {
        var line = _lines[_index++];
        _tokens = line.Tokens;
        _pos = 0;
        int n = line.Number;
        string head = Peek.Text;
        switch (head)
        {
            case "pass":
                Next();
                ExpectEnd();
                return new Pass(n);
            case "for":
            {
                Next();
                string variable = ExpectName();
                Expect("in");
                Expect("range");
                Expect("(");
                var args = ParseArgs();
                Expect(":");
                ExpectEnd();
                return new ForRange(n, variable, args, ParseSuite(indent));
            }
            case "if":
            {
                Next();
                var condition = ParseExpr();
                Expect(":");
                ExpectEnd();
                var body = ParseSuite(indent);
                IReadOnlyList<Stmt> otherwise = [];
                if (_index < _lines.Count && _lines[_index].Indent == indent && _lines[_index].Tokens[0].Text == "else")
                {
                    _tokens = _lines[_index++].Tokens;
                    _pos = 0;
                    Expect("else");
                    Expect(":");
                    ExpectEnd();
                    otherwise = ParseSuite(indent);
                }
                return new If(n, condition, body, otherwise);
            }
            case "try":
            {
                Next();
                Expect(":");
                ExpectEnd();
                var body = ParseSuite(indent);
                if (_index >= _lines.Count || _lines[_index].Indent != indent)
                {
                    throw new FormatException($"try on line {n} has no except clause.");
                }
                _tokens = _lines[_index++].Tokens;
                _pos = 0;
                Expect("except");
                string name = ExpectName();
                Expect(":");
                ExpectEnd();
                return new TryExcept(n, body, name, ParseSuite(indent));
            }
        }

        var targets = new List<string> { ExpectName() };
        while (Peek.Text == ",")
        {
            Next();
            targets.Add(ExpectName());
        }
        string op = Next().Text;
        if (op is "+=" or "-=" or "//=" or "%=")
        {
            if (targets.Count != 1) throw new FormatException($"Augmented assignment to a tuple on line {n}.");
            var value = ParseExpr();
            ExpectEnd();
            return new AugAssign(n, targets[0], op[..^1], value);
        }
        if (op != "=") throw new FormatException($"Expected '=' on line {n}, got '{op}'.");
        var values = new List<Expr> { ParseExpr() };
        while (Peek.Text == ",")
        {
            Next();
            values.Add(ParseExpr());
        }
        ExpectEnd();
        if (values.Count != targets.Count) throw new FormatException($"Cannot unpack {values.Count} values into {targets.Count} names on line {n}.");
        return new Assign(n, targets, values);
    }

    private List<Expr> ParseArgs()
    {
        var args = new List<Expr>();
        if (Peek.Text != ")")
        {
            args.Add(ParseExpr());
            while (Peek.Text == ",")
            {
                Next();
                args.Add(ParseExpr());
            }
        }
        Expect(")");
        return args;
    }

    private Expr ParseExpr() => ParseOr();

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Peek.Text == "or") { Next(); left = new Binary("or", left, ParseAnd()); }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Peek.Text == "and") { Next(); left = new Binary("and", left, ParseNot()); }
        return left;
    }

    private Expr ParseNot()
    {
        if (Peek.Text == "not") { Next(); return new Unary("not", ParseNot()); }
        return ParseComparison();
    }

    private Expr ParseComparison()
    {
        var left = ParseSum();
        // Chained comparisons (a < b < c) are not emitted by any generator, so one comparison is enough.
        if (Peek.Text is "==" or "!=" or "<" or ">" or "<=" or ">=")
        {
            string op = Next().Text;
            return new Binary(op, left, ParseSum());
        }
        return left;
    }

    private Expr ParseSum()
    {
        var left = ParseTerm();
        while (Peek.Text is "+" or "-") { string op = Next().Text; left = new Binary(op, left, ParseTerm()); }
        return left;
    }

    private Expr ParseTerm()
    {
        var left = ParseUnary();
        while (Peek.Text is "*" or "//" or "%") { string op = Next().Text; left = new Binary(op, left, ParseUnary()); }
        return left;
    }

    private Expr ParseUnary()
    {
        if (Peek.Text == "-") { Next(); return new Unary("-", ParseUnary()); }
        return ParseAtom();
    }

    private Expr ParseAtom()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new IntLiteral(token.Number);
            case TokenKind.Name when token.Text == "True":
                return new BoolLiteral(true);
            case TokenKind.Name when token.Text == "False":
                return new BoolLiteral(false);
            case TokenKind.Name when Peek.Text == "(":
                Next();
                return new Call(token.Text, ParseArgs());
            case TokenKind.Name:
                return new NameRef(token.Text);
            case TokenKind.Op when token.Text == "(":
                var inner = ParseExpr();
                Expect(")");
                return inner;
            default:
                throw new FormatException($"Unexpected token '{token}'.");
        }
    }

    private PyToken Peek => _tokens[_pos];

    private PyToken Next() => _tokens[Math.Min(_pos++, _tokens.Count - 1)];

    private void Expect(string text)
    {
        var t = Next();
        if (t.Text != text) throw new FormatException($"Expected '{text}', got '{t}'.");
    }

    private string ExpectName()
    {
        var t = Next();
        if (t.Kind != TokenKind.Name) throw new FormatException($"Expected a name, got '{t}'.");
        return t.Text;
    }

    private void ExpectEnd()
    {
        if (Peek.Kind != TokenKind.End) throw new FormatException($"Unexpected '{Peek}' at end of line.");
    }
}
