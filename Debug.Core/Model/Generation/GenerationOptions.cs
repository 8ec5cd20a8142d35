namespace Debug.Core.Model.Generation;

/// <summary>How long greedy generation runs and when a row stops.</summary>
/// <param name="MaxNewTokens">Upper bound on new tokens per row.</param>
/// <param name="EosTokenIds">A row stops after emitting one of these (null: the config's EOS ids).</param>
/// <param name="StopStrings">A row stops once the decoded continuation contains one of these.</param>
/// <param name="Decode">Turns token ids into text for <paramref name="StopStrings"/>; required when they are given.</param>
public sealed record GenerationOptions(
    int MaxNewTokens,
    IReadOnlyList<int>? EosTokenIds = null,
    IReadOnlyList<string>? StopStrings = null,
    Func<IReadOnlyList<int>, string>? Decode = null);
