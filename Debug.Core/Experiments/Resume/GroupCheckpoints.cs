using Debug.Core.Serialization;
using System.Globalization;
using System.Text.Json;
using Debug.Core.Reports;

namespace Debug.Core.Experiments.Resume;

/// <summary>
/// Finished case groups of one experiment, one file per group in <c>&lt;experiment folder&gt;/groups/</c>, each written
/// atomically when its group completes. A killed or preempted run leaves only whole groups behind; run again into the
/// same folder, it loads them instead of recomputing, and the final files are the same as an uninterrupted run's
/// (the records are the same records). A saved group is only reused for the same settings: a file written with other
/// settings (cases, template, seed, token budget, batch size) is refused, naming the file and the setting.
/// </summary>
public sealed class GroupCheckpoints
{
    /// <summary>The subfolder of the experiment folder that holds the group files.</summary>
    public const string FolderName = "groups";

    /// <summary>Opens the checkpoints of the experiment folder <paramref name="experimentFolder"/>.</summary>
    public GroupCheckpoints(string experimentFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentFolder);
        Folder = Path.Combine(Path.GetFullPath(experimentFolder), FolderName);
    }

    /// <summary>The <c>groups/</c> folder.</summary>
    public string Folder { get; }

    /// <summary>The file of one group: <c>&lt;model&gt;_len&lt;seqLen&gt;[_hops&lt;hops&gt;].json</c> (model made file-safe).</summary>
    public string PathOf(GroupKey group) => Path.Combine(Folder, FileName(group));

    /// <summary>The file name of one group.</summary>
    public static string FileName(GroupKey group) =>
        string.Create(CultureInfo.InvariantCulture, $"{Safe(group.Model)}_len{group.SeqLen}{(group.Hops is int h ? $"_hops{h}" : "")}.json");

    /// <summary>The saved cases of <paramref name="group"/>, or null when it has not finished.</summary>
    /// <exception cref="InvalidDataException">The file is unreadable, or was written with other settings or for another group.</exception>
    public IReadOnlyList<CaseResult>? TryLoad(ExperimentConfig config, GroupKey group)
    {
        ArgumentNullException.ThrowIfNull(config);
        string path = PathOf(group);
        if (!File.Exists(path)) return null;
        SavedGroup saved;
        try
        {
            saved = DebugJson.Deserialize<SavedGroup>(File.ReadAllText(path), path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a saved case group ({e.Message}).", e);
        }
        var expected = GroupSettings.Of(config);
        string? mismatch = expected.FirstDifference(saved.Settings);
        if (mismatch is not null)
            throw new InvalidDataException($"{path}: saved with {mismatch}; resume with the same settings, or use a new run id.");
        if (saved.Model != group.Model || saved.SeqLen != group.SeqLen || saved.Hops != group.Hops)
            throw new InvalidDataException($"{path}: holds group ({saved.Model}, {saved.SeqLen}, {saved.Hops}), not ({group.Model}, {group.SeqLen}, {group.Hops}).");
        var cases = saved.Cases;
        for (int i = 0; i < cases.Count; i++)
            if (cases[i].SeedId != i || cases[i].Model != group.Model || cases[i].SeqLen != group.SeqLen || cases[i].Experiment != config.Name)
                throw new InvalidDataException($"{path}: case record {i} does not belong to this group (seed id {cases[i].SeedId}, model {cases[i].Model}).");
        if (cases.Count != config.SequencesPerLength)
            throw new InvalidDataException($"{path}: {cases.Count} cases saved, {config.SequencesPerLength} expected.");
        return cases;
    }

    /// <summary>Saves a finished group atomically.</summary>
    public void Save(ExperimentConfig config, GroupKey group, IReadOnlyList<CaseResult> cases)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(cases);
        var saved = new SavedGroup(config.Name, group.Model, group.SeqLen, group.Hops, GroupSettings.Of(config), [.. cases]);
        AtomicFile.WriteAllText(PathOf(group), DebugJson.Serialize(saved));
    }

    private static string Safe(string model) =>
        new([.. model.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_')]);

    /// <summary>A group file's content.</summary>
    /// <summary>One finished group as its checkpoint file stores it.</summary>
    /// <param name="Experiment">Experiment name.</param>
    /// <param name="Model">Model display name.</param>
    /// <param name="SeqLen">Program length of the group.</param>
    /// <param name="Hops">Exact hops, when the experiment has them.</param>
    /// <param name="Settings">The settings the cases were produced with.</param>
    /// <param name="Cases">The scored cases.</param>
    public sealed record SavedGroup(string Experiment, string Model, int SeqLen, int? Hops, GroupSettings Settings, List<CaseResult> Cases);
}

/// <summary>The settings that decide a group's records; a saved group is reused only when they are equal.</summary>
/// <param name="Cases">Cases per group.</param>
/// <param name="Template">Prompt template name.</param>
/// <param name="TemplateText">Prompt template text.</param>
/// <param name="Generator">Generator name.</param>
/// <param name="Parser">Answer parser name.</param>
/// <param name="Seed">Experiment seed.</param>
/// <param name="MaxNewTokens">Generation budget.</param>
/// <param name="BatchSize">Prompts per batch (left padding can change a completion in the last bits).</param>
public sealed record GroupSettings(int Cases, string Template, string TemplateText, string Generator, string Parser,
    ulong Seed, int MaxNewTokens, int BatchSize)
{
    /// <summary>The settings of <paramref name="config"/>.</summary>
    public static GroupSettings Of(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.SequencesPerLength, config.Template.Name, config.Template.Text, config.Generator.Name,
            config.Parser.Name, config.Seed, config.MaxNewTokens, config.BatchSize);
    }

    /// <summary>"cases 20 (now 50)" for the first setting that differs from <paramref name="saved"/>, or null.</summary>
    public string? FirstDifference(GroupSettings? saved)
    {
        if (saved is null) return "no settings recorded";
        (string Name, object? Now, object? Then)[] fields =
        [
            ("cases", Cases, saved.Cases), ("template", Template, saved.Template), ("template text", TemplateText, saved.TemplateText),
            ("generator", Generator, saved.Generator), ("parser", Parser, saved.Parser), ("seed", Seed, saved.Seed),
            ("max new tokens", MaxNewTokens, saved.MaxNewTokens), ("batch size", BatchSize, saved.BatchSize),
        ];
        foreach (var (name, now, then) in fields)
            if (!Equals(now, then)) return $"{name} {Show(then)} (now {Show(now)})";
        return null;
    }

    private static string Show(object? value) => value is string s ? $"'{s}'" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
}
