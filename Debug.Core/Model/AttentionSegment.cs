namespace Debug.Core.Model;

/// <summary>
/// One resumed forward inside a packed batch (<see cref="AttentionContext.Segments"/>): <see cref="Rows"/> rows of
/// <see cref="T"/> tokens each, stored from token <see cref="Offset"/> of the packed sequence, attending with
/// <see cref="Context"/>'s masks and prefix cache.
/// </summary>
internal sealed record AttentionSegment(long Offset, int Rows, long T, AttentionContext Context);
