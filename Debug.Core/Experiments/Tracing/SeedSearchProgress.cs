using System.Globalization;

namespace Debug.Core.Experiments.Tracing;

/// <summary>Where a robust-seed search stands: a report after every batched forward, and its cost when it ends.</summary>
/// <param name="Hops">Hops of the group searched.</param>
/// <param name="Lines">Lines of the group searched.</param>
/// <param name="Tried">Programs (seeds) scored so far.</param>
/// <param name="Found">Robust seeds found so far.</param>
/// <param name="Needed">Robust seeds wanted; the search stops when it has them.</param>
/// <param name="Limit">Seeds 0..Limit-1 are searched.</param>
/// <param name="Forwards">Batched forwards run.</param>
/// <param name="Prompts">Prompts run (a seed costs one, or two when the model answers its program and its twin is run too).</param>
/// <param name="Tokens">Prompt tokens run, padding excluded.</param>
/// <param name="Elapsed">Time spent searching this group, over every call that extended it.</param>
public sealed record SeedSearchProgress(int Hops, int Lines, int Tried, int Found, int Needed, ulong Limit,
    int Forwards, int Prompts, long Tokens, TimeSpan Elapsed)
{
    /// <summary>Programs scored per second.</summary>
    public double ProgramsPerSecond => Tried / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Whether the search has what it needs or nothing left to try.</summary>
    public bool Done => Found >= Needed || (ulong)Tried >= Limit;

    /// <summary>E.g. <c>robust seeds, hops 2, 5 lines: tried 37/200 programs, found 1/3, 12.3 s, 3.0 programs/s</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"robust seeds, hops {Hops}, {Lines} lines: tried {Tried}/{Limit} programs, found {Found}/{Needed}, " +
        $"{Elapsed.TotalSeconds:F1} s, {ProgramsPerSecond:F1} programs/s");

    /// <summary>The search's cost, e.g. <c>40 programs, 52 prompts (1,480 tokens) in 7 forwards, 3.1 s</c>.</summary>
    public string Cost => string.Create(CultureInfo.InvariantCulture,
        $"{Tried} programs, {Prompts} prompts ({Tokens:N0} tokens) in {Forwards} forwards, {Elapsed.TotalSeconds:F1} s");
}
