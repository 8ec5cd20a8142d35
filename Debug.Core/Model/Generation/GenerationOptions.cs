namespace Debug.Core.Model.Generation;

/// <summary>How long generation runs, when a row stops, and whether tokens are picked greedily or sampled.</summary>
/// <param name="MaxNewTokens">Upper bound on new tokens per row.</param>
/// <param name="EosTokenIds">A row stops after emitting one of these (null: the config's EOS ids).</param>
/// <param name="StopStrings">A row stops once the decoded continuation contains one of these.</param>
/// <param name="Decode">Turns token ids into text for <paramref name="StopStrings"/>; required when they are given.</param>
/// <param name="Sampling">Null (default): greedy, the most likely token. Otherwise tokens are sampled at a temperature.</param>
public sealed record GenerationOptions(
    int MaxNewTokens,
    IReadOnlyList<int>? EosTokenIds = null,
    IReadOnlyList<string>? StopStrings = null,
    Func<IReadOnlyList<int>, string>? Decode = null,
    TokenSampling? Sampling = null);
