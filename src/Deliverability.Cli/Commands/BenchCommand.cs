using System.CommandLine;
using Deliverability.Parse;

namespace Deliverability.Cli.Commands;

/// <summary><c>deliverability bench ...</c>: measurements. <c>bench parse</c> for speed, hidden <c>bench accuracy</c> for agreement with labels.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the speed and accuracy of the product's parsers.");
        bench.Subcommands.Add(BenchParseCommand.Create());
        bench.Subcommands.Add(CreateAccuracy());
        return bench;
    }

    private static Command CreateAccuracy()
    {
        var dir = new Argument<string>("DIR") { Description = "A corpus directory holding expected.tsv and the messages it names." };
        var verbose = new Option<bool>("--verbose") { Description = "List every disagreement of the development part (the blind part is only ever reported as totals)." };
        var command = new Command("accuracy", "Score the parser against DIR/expected.tsv, the development and the blind part apart.") { dir, verbose };
        command.Hidden = true;
        command.SetAction(parseResult => AccuracyReport.Run(parseResult.GetRequiredValue(dir), parseResult.GetValue(verbose)));
        return command;
    }
}
