using System.CommandLine;
using Deliverability.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

internal static class ReparseCommand
{
    public static Command Create()
    {
        var command = new Command("reparse", "Read every stored message, MTA log and SNDS export again with the current parser and rules, then re-diagnose every IP.");
        command.SetAction(async (_, ct) =>
        {
            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<ReparseJob>().RunAsync(ct);
            if (outcome is null)
            {
                await Console.Error.WriteLineAsync("Another re-parse is running (the web app's or another command's): this one did nothing. Try again when it has finished.");
                return 1;
            }

            Console.WriteLine($"Re-parsed {outcome.Messages} stored message(s): {outcome.Bounces} bounce row(s), {outcome.Complaints} complaint(s); re-read {outcome.EvidenceFiles} MTA log(s) and SNDS export(s); every IP is re-diagnosed.");
            return 0;
        });
        return command;
    }
}
