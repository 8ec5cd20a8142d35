// `debug <command> [options]`; `debug --help` lists the commands. Run from the repository as
// `dotnet run -c Release --project Debug.Cli -- <command>`, or install the packed tool (`dotnet pack Debug.Cli`).
return Debug.Cli.DebugCli.Run(args);
