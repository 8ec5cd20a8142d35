using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Debug.Core.Tests.Reports;

/// <summary>
/// Opens a page in Debian's headless <c>chromium</c> and talks to it over the DevTools protocol (a WebSocket, no extra
/// package): navigates, waits for the load event, collects console errors, uncaught exceptions and failed loads, and
/// evaluates expressions. One browser per instance, with its own temporary profile, killed on dispose.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly List<string> _errors = [];
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private string? _session;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The chromium executable on PATH, or null.</summary>
    public static string? Find() =>
        new[] { "chromium", "chromium-browser", "chromium-headless-shell" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    /// <summary>Console errors, uncaught exceptions and failed resource loads seen so far.</summary>
    public IReadOnlyList<string> Errors { get { lock (_errors) return [.. _errors]; } }

    /// <summary>Starts the browser and attaches to a blank page.</summary>
    public static async Task<HeadlessChromium> StartAsync(string executable)
    {
        string profile = Directory.CreateTempSubdirectory("debug-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                     "--remote-debugging-port=0", "--remote-allow-origins=*", $"--user-data-dir={profile}", "about:blank" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr.
            using var wait = new CancellationTokenSource(Timeout);
            string? url = null;
            while (url is null)
            {
                string line = await process.StandardError.ReadLineAsync(wait.Token)
                    ?? throw new InvalidOperationException($"{executable} exited (code {(process.HasExited ? process.ExitCode : -1)}) before opening DevTools");
                if (DevToolsLine().Match(line) is { Success: true } m) url = m.Groups[1].Value;
            }
            _ = DrainAsync(process.StandardError);
            _ = DrainAsync(process.StandardOutput);
            await browser._socket.ConnectAsync(new Uri(url), wait.Token);
            browser._reader = browser.ReadAsync();
            var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
            var attached = await browser.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true });
            browser._session = attached["sessionId"]!.GetValue<string>();
            await browser.SendAsync("Page.enable", []);
            await browser.SendAsync("Runtime.enable", []);
            await browser.SendAsync("Log.enable", []);
            await browser.SendAsync("Network.enable", []);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Navigates to <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(string url)
    {
        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (result["errorText"] is JsonNode error) throw new InvalidOperationException($"{url}: {error}");
        await _loaded.Task.WaitAsync(Timeout);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value (JSON).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is JsonNode ex) throw new InvalidOperationException($"evaluation failed: {ex.ToJsonString()}");
        return result["result"]?["value"]?.DeepClone();
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters)
    {
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_pending)
        {
            id = ++_nextId;
            _pending[id] = done;
        }
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (_session is not null && !method.StartsWith("Target.", StringComparison.Ordinal)) message["sessionId"] = _session;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        return await done.Task.WaitAsync(Timeout);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        var text = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                text.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var message = JsonNode.Parse(text.ToArray())!.AsObject();
                text.SetLength(0);
                Handle(message);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    private void Handle(JsonObject message)
    {
        if (message["id"] is JsonNode idNode)
        {
            TaskCompletionSource<JsonObject>? done;
            lock (_pending) _pending.Remove(idNode.GetValue<int>(), out done);
            if (message["error"] is JsonNode error) done?.TrySetException(new InvalidOperationException(error.ToJsonString()));
            else done?.TrySetResult(message["result"]?.AsObject() ?? []);
            return;
        }
        var p = message["params"];
        switch (message["method"]?.GetValue<string>())
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.consoleAPICalled" when (p?["type"]?.GetValue<string>()) is "error" or "assert":
                AddError("console." + p!["type"] + ": " + p["args"]?.ToJsonString());
                break;
            case "Runtime.exceptionThrown":
                AddError("exception: " + p?["exceptionDetails"]?.ToJsonString());
                break;
            case "Log.entryAdded" when (p?["entry"]?["level"]?.GetValue<string>()) == "error":
                AddError("log: " + p!["entry"]?["text"] + " " + p["entry"]?["url"]);
                break;
            case "Network.loadingFailed":
                AddError("failed load: " + p?.ToJsonString());
                break;
        }
    }

    private void AddError(string error)
    {
        lock (_errors) _errors.Add(error);
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try { while (await reader.ReadLineAsync() is not null) { } } catch (IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        if (_reader is not null) await _reader.ConfigureAwait(false);
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException) { }
        _process.Dispose();
        _stop.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
