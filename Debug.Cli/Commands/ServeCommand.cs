using System.CommandLine;
using System.Net;
using Debug.Core.Experiments;
using Debug.Core.Model;
using Debug.Serving;
using Spectre.Console;

namespace Debug.Cli.Commands;

/// <summary>
/// <c>debug serve --model tiny --port 8000</c>: Debug's engine behind an OpenAI-compatible HTTP API
/// (<see cref="CompletionServer"/>) on a loopback address, until Ctrl+C or SIGTERM (started in the background by a
/// script, it inherits an ignored SIGINT, as POSIX shells arrange; SIGTERM stops it then). The server itself is library code
/// (Debug.Serving); this file only reads the command line.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<string>("--model", "-m")
        {
            Description = "The model to serve: 'tiny', a HuggingFace id in the local cache, or a checkpoint folder.",
            DefaultValueFactory = _ => ModelReference.EmbeddedName,
        };
        var port = CommonOptions.Int("--port", "TCP port (0: any free port, printed when serving).", 8000, min: 0);
        var host = new Option<string>("--host") { Description = "Loopback address to listen on: 127.0.0.1 or ::1.", DefaultValueFactory = _ => "127.0.0.1" };
        var name = new Option<string?>("--name") { Description = "Model name clients ask for (default: the model's display name)." };
        var device = CommonOptions.Device();
        var command = new Command("serve", "Serve a model through an OpenAI-compatible HTTP API (/v1/models, /v1/completions, /v1/chat/completions) on a loopback address.")
        {
            model, port, host, name, device,
        };
        command.SetAction(async (p, ct) =>
        {
            var reference = ModelReference.Parse(p.GetValue(model)!);
            if (reference.IsEndpoint) throw new CliUsageException($"--model {reference.Spec}: serve needs a checkpoint (tiny, an HF id or a folder), not an endpoint.");
            if (!IPAddress.TryParse(p.GetValue(host), out var address)) throw new CliUsageException($"--host: '{p.GetValue(host)}' is not an IP address (127.0.0.1 or ::1).");
            var options = new ServerOptions { Host = address, Port = p.GetValue(port), ServedModelName = p.GetValue(name) };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.Message);
            }
            var chosen = CommonOptions.DeviceOf(p, device);
            using var loaded = LoadedModel.Load(reference, device: chosen);
            await using var server = await CompletionServer.StartAsync(loaded, options, ct);
            console.WriteLine($"serving {server.ModelName} on {loaded.Model.Device} at {server.BaseAddress} (/models, /completions, /chat/completions); Ctrl+C or SIGTERM stops");
            try
            {
                await server.WaitForShutdownAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
