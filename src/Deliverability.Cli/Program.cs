using System.CommandLine;
using Deliverability.Cli.Commands;

var root = new RootCommand("Deliverability: get your sending IPs off mailbox providers' block lists, and keep them off.");
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(UsersCommand.Create());
root.Subcommands.Add(ParseCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync();
