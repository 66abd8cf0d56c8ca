using System.CommandLine;
using Deliverability.Cli;
using Deliverability.Cli.Commands;
using Deliverability.Parse;

if (NativeParseHandoff.TryRun(args) is { } nativeExitCode)
{
    return nativeExitCode;
}

var root = new RootCommand("Deliverability: get your sending IPs off mailbox providers' block lists, and keep them off.");
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(UsersCommand.Create());
root.Subcommands.Add(ParseCommand.Create());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(ReparseCommand.Create());
root.Subcommands.Add(MailboxCommand.Create());
root.Subcommands.Add(DmarcCommand.Create());
root.Subcommands.Add(SeedDemoCommand.Create());
var bench = BenchCommand.Create();
bench.Subcommands.Add(BenchChecksCommand.Create());
bench.Subcommands.Add(BenchIngestCommand.Create());
bench.Subcommands.Add(BenchDiagnosisCommand.Create());
bench.Subcommands.Add(BenchFuzzCommand.Create());
bench.Subcommands.Add(BenchLexiconCommand.Create());
root.Subcommands.Add(bench);
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (DatabaseProblem.Describe(e) is { } problem)
{
    await Console.Error.WriteLineAsync("deliverability: " + problem);
    return 2;
}
