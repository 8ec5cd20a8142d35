using System.Globalization;
using System.Net;
using Debug.Core.Experiments;
using Debug.Serving;

/// <summary>
/// <c>Debug.Cli serve --model tiny [--port 8000] [--host 127.0.0.1] [--name NAME]</c>: serves a model through
/// <see cref="CompletionServer"/> until Ctrl+C. Kept out of Program.cs so the command-line parser can change without
/// touching the server.
/// </summary>
internal static class ServeCommand
{
    public const string Usage = "Debug.Cli serve --model MODEL [--port N] [--host 127.0.0.1|::1] [--name SERVED_NAME] [--device cpu|cuda|cuda:N]";

    public static int Run(string[] args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"bad argument '{args[i]}': expected --name value\nusage: {Usage}");
                return 2;
            }
            flags[args[i][2..]] = args[++i];
        }
        string model = flags.Remove("model", out var m) ? m : ModelReference.EmbeddedName;
        if (!int.TryParse(flags.Remove("port", out var p) ? p : "8000", NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            Console.Error.WriteLine($"--port must be a number 0..65535\nusage: {Usage}");
            return 2;
        }
        if (!IPAddress.TryParse(flags.Remove("host", out var h) ? h : "127.0.0.1", out var host))
        {
            Console.Error.WriteLine($"--host must be an IP address (127.0.0.1 or ::1)\nusage: {Usage}");
            return 2;
        }
        string? name = flags.Remove("name", out var n) ? n : null;
        TorchSharp.torch.Device? device;
        try
        {
            device = flags.Remove("device", out var dv) ? Debug.Core.Model.ModelDevice.Parse(dv, "--device") : null;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        if (flags.Count > 0)
        {
            Console.Error.WriteLine($"unknown option(s): {string.Join(", ", flags.Keys.Select(k => "--" + k))}\nusage: {Usage}");
            return 2;
        }
        var reference = ModelReference.Parse(model);
        if (reference.IsEndpoint)
        {
            Console.Error.WriteLine($"--model {model}: serve needs a checkpoint (tiny, an HF id or a folder), not an endpoint.");
            return 2;
        }
        var options = new ServerOptions { Host = host, Port = port, ServedModelName = name };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        using var loaded = LoadedModel.Load(reference, device: device);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        var server = CompletionServer.StartAsync(loaded, options).GetAwaiter().GetResult();
        Console.WriteLine($"serving {server.ModelName} at {server.BaseAddress} (/models, /completions, /chat/completions); Ctrl+C stops");
        try
        {
            server.WaitForShutdownAsync(stop.Token).GetAwaiter().GetResult();
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return 0;
    }
}
