using Debug.Core.Serialization;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Debug.Core.Experiments;

namespace Debug.Core.Reports;

/// <summary>
/// One folder per run: <c>&lt;results root&gt;/&lt;run id&gt;/</c> holds one subfolder per accuracy experiment and per
/// tracing row, <c>run.json</c> (<see cref="RunInfo"/>), a run-level <c>summary.json</c> (one <see cref="GateRow"/> per
/// judged group) and <c>index.html</c> (<see cref="RunIndexPage"/>). <c>&lt;root&gt;/latest</c> is a symbolic link to the
/// newest completed run, replaced atomically. A run is one <c>dotnet test</c> process of Debug.Experiments or one CLI
/// command. Thread-safe: theory rows add gates from any thread.
/// </summary>
public sealed class RunFolder
{
    /// <summary>Environment variable naming the run id (default: <see cref="NewRunId"/>).</summary>
    public const string RunIdVariable = "DEBUG_RUN_ID";

    /// <summary>The run's description.</summary>
    public const string RunFile = "run.json";

    /// <summary>The run's gate rows.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The run's page.</summary>
    public const string IndexFile = "index.html";

    /// <summary>The link to the newest run in the results root.</summary>
    public const string LatestLink = "latest";

    private readonly ConcurrentQueue<GateRow> _gates = new();
    private readonly ConcurrentDictionary<string, int> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _settings = new(StringComparer.Ordinal);
    private readonly Lock _completion = new();
    // False when a named run continued a folder that already existed: Fail must never delete someone else's results.
    private readonly bool _createdHere;

    private RunFolder(string root, string runId, string kind, DateTime startedUtc, bool createdHere = true)
    {
        _createdHere = createdHere;
        Root = root;
        RunId = runId;
        Kind = kind;
        StartedUtc = startedUtc;
        Path = System.IO.Path.Combine(root, runId);
    }

    /// <summary>The results root that holds the run folder.</summary>
    public string Root { get; }

    /// <summary>The run id (the folder's name).</summary>
    public string RunId { get; }

    /// <summary>The run folder (absolute).</summary>
    public string Path { get; }

    /// <summary>What the run is, e.g. <c>debug eval</c>.</summary>
    public string Kind { get; }

    /// <summary>When the run started (UTC).</summary>
    public DateTime StartedUtc { get; }

    /// <summary>When <see cref="Complete"/> or <see cref="Fail"/> ran, or null.</summary>
    public DateTime? EndedUtc { get; private set; }

    /// <summary>Why the run failed (<see cref="Fail"/>), or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>The gate rows added so far, in order.</summary>
    public IReadOnlyList<GateRow> Gates => [.. _gates];

    /// <summary>
    /// Creates the run folder under <paramref name="resultsRoot"/> (default: <see cref="RepositoryPaths.DefaultResultsRoot"/>)
    /// and writes its first <c>run.json</c>. The id is <paramref name="runId"/>, else <see cref="RunIdVariable"/>, else a
    /// new <see cref="NewRunId"/>; a named run whose folder exists is continued in place, a generated id never collides.
    /// </summary>
    /// <exception cref="ArgumentException">The run id is not a plain folder name (letters, digits, '.', '_', '-').</exception>
    public static RunFolder Create(string kind, string? resultsRoot = null, IReadOnlyDictionary<string, string>? settings = null,
        string? runId = null, DateTime? utcNow = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        string root = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(resultsRoot) ? RepositoryPaths.DefaultResultsRoot() : resultsRoot);
        var now = utcNow ?? DateTime.UtcNow;
        string? named = !string.IsNullOrWhiteSpace(runId) ? runId : Environment.GetEnvironmentVariable(RunIdVariable);
        RunFolder run;
        if (!string.IsNullOrWhiteSpace(named))
        {
            string source = !string.IsNullOrWhiteSpace(runId) ? "run id" : RunIdVariable;
            string id = ValidateRunId(named.Trim(), source);
            run = new RunFolder(root, id, kind, now, createdHere: !Directory.Exists(System.IO.Path.Combine(root, id)));
            Directory.CreateDirectory(run.Path);
        }
        else
        {
            run = Claim(root, kind, now);
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) run._settings[key] = value;
        run.WriteRunInfo();
        return run;
    }

    /// <summary>A new run id for <paramref name="utcNow"/>: <c>yyyyMMdd-HHmmss-</c> and four random hex digits.</summary>
    public static string NewRunId(DateTime utcNow) =>
        utcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" +
        RandomNumberGenerator.GetHexString(4, lowercase: true);

    /// <summary>Returns <paramref name="runId"/> when it is a plain folder name other than <see cref="LatestLink"/>.</summary>
    /// <exception cref="ArgumentException">It is empty, too long, <c>latest</c>, dots only, or has other characters.</exception>
    public static string ValidateRunId(string runId, string source = "run id")
    {
        bool plain = runId.Length is > 0 and <= 100 && runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            && runId.Any(c => c != '.') && runId != LatestLink;
        return plain ? runId : throw new ArgumentException(
            $"{source} '{runId}' must be a folder name of letters, digits, '.', '_' and '-' (not '{LatestLink}'), at most 100 characters.", nameof(runId));
    }

    /// <summary>Records a setting shown in run.json and index.html.</summary>
    public void SetSetting(string name, string value) => _settings[name] = value;

    /// <summary>Records a model of the run (kept in order of first use).</summary>
    public void AddModel(string model) => _models.TryAdd(model, _models.Count);

    /// <summary>Records a judged group (and its model).</summary>
    public void AddGate(GateRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        AddModel(row.Model);
        _gates.Enqueue(row);
    }

    /// <summary>The path of <paramref name="folder"/> relative to the run folder, with '/' separators (for links).</summary>
    public string Relative(string folder) => System.IO.Path.GetRelativePath(Path, folder).Replace('\\', '/');

    /// <summary>
    /// Ends the run: writes run.json (with end and wall time), summary.json and index.html, and points
    /// <c>latest</c> at this run. Calling it again rewrites them with what was added since.
    /// </summary>
    public void Complete(DateTime? utcNow = null)
    {
        lock (_completion)
        {
            EndedUtc = utcNow ?? DateTime.UtcNow;
            WriteRunInfo();
            // Rows arrive in test order; the file lists them by model, experiment and group so runs compare line by line.
            var rows = Gates.OrderBy(g => g.Model, StringComparer.Ordinal).ThenBy(g => g.Experiment, StringComparer.Ordinal)
                .ThenBy(g => g.SeqLen).ThenBy(g => g.Hops ?? -1).ToList();
            AtomicFile.WriteAllText(System.IO.Path.Combine(Path, SummaryFile), DebugJson.Serialize(rows));
            RunIndexPage.Write(Path);
            LatestRun.Point(Root, RunId);
        }
    }

    /// <summary>
    /// Ends a run that stopped on an error. A run that wrote nothing yet (only run.json: the model did not load, the
    /// program could not be traced) in a folder it created itself is removed, so no empty run is left behind, and true
    /// is returned. Otherwise the folder keeps what was written; run.json records <paramref name="reason"/> and the end,
    /// index.html shows the run as failed, and <c>latest</c> is not moved (it points at completed runs only).
    /// </summary>
    /// <param name="reason">One line saying what went wrong.</param>
    /// <param name="utcNow">The end time (default: now).</param>
    /// <returns>True when the folder was removed.</returns>
    public bool Fail(string reason, DateTime? utcNow = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_completion)
        {
            if (_createdHere && WroteNothing())
            {
                Directory.Delete(Path, recursive: true);
                return true;
            }
            EndedUtc = utcNow ?? DateTime.UtcNow;
            Failure = reason;
            WriteRunInfo();
            var rows = Gates.OrderBy(g => g.Model, StringComparer.Ordinal).ThenBy(g => g.Experiment, StringComparer.Ordinal)
                .ThenBy(g => g.SeqLen).ThenBy(g => g.Hops ?? -1).ToList();
            AtomicFile.WriteAllText(System.IO.Path.Combine(Path, SummaryFile), DebugJson.Serialize(rows));
            RunIndexPage.Write(Path);
            return false;
        }
    }

    // Nothing but run.json and the claim marker: no subfolder, no other file.
    private bool WroteNothing() =>
        Directory.GetDirectories(Path).Length == 0 &&
        Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).All(n => n is RunFile or ".run");

    /// <summary>This run's <see cref="RunInfo"/> as it stands.</summary>
    public RunInfo Info()
    {
        string version = RunInfo.CurrentVersion();
        return new RunInfo(RunId, Kind, StartedUtc, EndedUtc, EndedUtc is DateTime end ? Math.Round((end - StartedUtc).TotalSeconds, 3) : null,
            version, RunInfo.CommitOf(version), Environment.CommandLine,
            new SortedDictionary<string, string>(_settings, StringComparer.Ordinal),
            [.. _models.OrderBy(kv => kv.Value).Select(kv => kv.Key)], Failure);
    }

    /// <summary>Reads a run folder's run.json.</summary>
    /// <exception cref="InvalidDataException">The file is not a run description.</exception>
    public static RunInfo ReadInfo(string runFolder)
    {
        string file = System.IO.Path.Combine(runFolder, RunFile);
        return DebugJson.Deserialize<RunInfo>(File.ReadAllText(file), file);
    }

    /// <summary>Reads a run folder's summary.json (no rows when it has none yet).</summary>
    /// <exception cref="InvalidDataException">The file is not a list of gate rows.</exception>
    public static IReadOnlyList<GateRow> ReadGates(string runFolder)
    {
        string file = System.IO.Path.Combine(runFolder, SummaryFile);
        if (!File.Exists(file)) return [];
        return DebugJson.Deserialize<List<GateRow>>(File.ReadAllText(file), file);
    }

    private void WriteRunInfo() =>
        AtomicFile.WriteAllText(System.IO.Path.Combine(Path, RunFile), DebugJson.Serialize(Info()));

    // A generated id claims its folder by creating it: Directory.CreateDirectory succeeds on an existing folder, so
    // the claim is a marker file created exclusively; on a clash (same second, same four hex digits) draw again.
    private static RunFolder Claim(string root, string kind, DateTime now)
    {
        for (int attempt = 0; ; attempt++)
        {
            var run = new RunFolder(root, NewRunId(now), kind, now);
            Directory.CreateDirectory(run.Path);
            try
            {
                using (new FileStream(System.IO.Path.Combine(run.Path, ".run"), FileMode.CreateNew)) { }
                return run;
            }
            catch (IOException) when (attempt < 100) { }
        }
    }
}
