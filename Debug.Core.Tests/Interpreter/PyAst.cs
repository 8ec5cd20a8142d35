namespace Debug.Core.Tests.Interpreter;

/// <summary>Expression nodes.</summary>
internal abstract record Expr;
internal sealed record IntLiteral(long Value) : Expr;
internal sealed record BoolLiteral(bool Value) : Expr;
internal sealed record NameRef(string Name) : Expr;
internal sealed record Unary(string Op, Expr Operand) : Expr;
internal sealed record Binary(string Op, Expr Left, Expr Right) : Expr;
internal sealed record Call(string Function, IReadOnlyList<Expr> Args) : Expr;

/// <summary>Statement nodes; blocks are lists of statements.</summary>
internal abstract record Stmt(int Line);
internal sealed record Assign(int Line, IReadOnlyList<string> Targets, IReadOnlyList<Expr> Values) : Stmt(Line);
internal sealed record AugAssign(int Line, string Target, string Op, Expr Value) : Stmt(Line);
internal sealed record ForRange(int Line, string Variable, IReadOnlyList<Expr> RangeArgs, IReadOnlyList<Stmt> Body) : Stmt(Line);
internal sealed record If(int Line, Expr Condition, IReadOnlyList<Stmt> Body, IReadOnlyList<Stmt> Else) : Stmt(Line);
internal sealed record TryExcept(int Line, IReadOnlyList<Stmt> Body, string ExceptionName, IReadOnlyList<Stmt> Handler) : Stmt(Line);
internal sealed record Pass(int Line) : Stmt(Line);
