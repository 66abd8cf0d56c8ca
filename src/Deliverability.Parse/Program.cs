using System.CommandLine;
using Deliverability.Parse;

if (Environment.GetEnvironmentVariable(NativeParse.ExpectedVersionVariable) is { } expected && expected != NativeParse.Version)
{
    Console.Error.WriteLine($"{NativeParse.ExecutableName} is version {NativeParse.Version}, the CLI {expected}: the CLI parses in-process.");
    return NativeParse.VersionMismatchExitCode;
}

var root = new RootCommand("The parse commands of `deliverability`, without the database commands (built to be published as a native executable).");
root.Subcommands.Add(ParseCommand.Create());
var bench = new Command("bench", "Measure the parser's speed.");
bench.Subcommands.Add(BenchParseCommand.Create());
root.Subcommands.Add(bench);
return await root.Parse(args).InvokeAsync();
