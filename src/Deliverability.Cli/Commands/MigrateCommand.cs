using System.CommandLine;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the database migrations (creates the schema on an empty database).");
        command.SetAction(async (_, ct) =>
        {
            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeliverabilityDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            // A migration may rewrite a big table (IncrementalDiagnosis refills the hourly counts from every bounce).
            db.Database.SetCommandTimeout(TimeSpan.FromHours(2));
            await db.Database.MigrateAsync(ct);
            var encrypted = await scope.ServiceProvider.GetRequiredService<SpamhausDqsKeys>().EncryptPlainKeysAsync(db, ct);
            if (encrypted > 0)
            {
                Console.WriteLine("Encrypted the Spamhaus DQS key stored in plain text (Data Protection, DataProtection:KeysDirectory).");
            }

            Console.WriteLine(pending.Count == 0
                ? "The database is up to date."
                : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
            return 0;
        });
        return command;
    }
}
