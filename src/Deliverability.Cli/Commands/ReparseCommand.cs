using System.CommandLine;
using Deliverability.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

internal static class ReparseCommand
{
    public static Command Create()
    {
        var command = new Command("reparse", "Run the current parser over every stored message and rebuild the bounce and complaint rows.");
        command.SetAction(async (_, ct) =>
        {
            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<ReparseJob>().RunAsync(ct);
            Console.WriteLine($"Re-parsed {outcome.Messages} stored message(s): {outcome.Bounces} bounce row(s), {outcome.Complaints} complaint(s).");
            return 0;
        });
        return command;
    }
}
