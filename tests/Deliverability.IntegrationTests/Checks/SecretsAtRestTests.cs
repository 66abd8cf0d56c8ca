using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Secrets;
using Deliverability.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Deliverability.IntegrationTests.Checks;

/// <summary>Issue 12, item 9: the Spamhaus DQS key is encrypted at rest, and an upgrade encrypts a key stored in plain text before.</summary>
public class SecretsAtRestTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Key = "abcdEFGH1234ijklMNOP5678";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SavedKey_IsStoredEncryptedAndReadBackForTheChecks()
    {
        var database = app.Factory.Database;
        var keys = app.Factory.Services.GetRequiredService<SpamhausDqsKeys>();

        await keys.SaveAsync(Key, Ct);

        Assert.DoesNotContain(Key, await RawRowAsync(database), StringComparison.Ordinal);
        await using var db = database.CreateDbContext();
        Assert.Equal(Key, await keys.ReadAsync(db, Ct));
        var state = await keys.DescribeAsync(Ct);
        Assert.Equal((true, "••••5678", false), (state.Stored, state.Masked, state.Unreadable));
    }

    [Fact]
    public async Task KeyProtectedWithOtherKeys_IsUnreadableNeverUsedAsItIs()
    {
        var database = app.Factory.Database;
        var foreign = new SecretProtector(DataProtectionProvider.Create(new DirectoryInfo(Directory.CreateTempSubdirectory("foreign-keys-").FullName)));
        await using (var db = database.CreateDbContext())
        {
            await db.ChecksSettings.ExecuteDeleteAsync(Ct);
            db.ChecksSettings.Add(new ChecksSettings { ProtectedSpamhausDqsKey = foreign.Protect(SecretPurposes.SpamhausDqsKey, Key), UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        var keys = app.Factory.Services.GetRequiredService<SpamhausDqsKeys>();
        await using var read = database.CreateDbContext();
        Assert.Null(await keys.ReadAsync(read, Ct));
        Assert.True((await keys.DescribeAsync(Ct)).Unreadable);
    }

    [Fact]
    public async Task Migrate_WhenAPlainKeyWasStored_EncryptsItAndKeepsItUsable()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using (var db = database.CreateDbContext())
        {
            // The schema as it was before keys were encrypted, with a key saved by that version.
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.IndexOf(migrations.Single(m => m.EndsWith("_UserAuditAndEncryptedDqsKey", StringComparison.Ordinal))) - 1], cancellationToken: Ct);
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO checks_settings (id, spamhaus_dqs_key, updated_at) VALUES (1, '{Key}', now())", Ct);
        }

        var keysDirectory = Directory.CreateTempSubdirectory("deliverability-keys-").FullName;
        var (exit, output) = await CliProcess.RunAsync(database, new Dictionary<string, string> { ["DataProtection__KeysDirectory"] = keysDirectory }, "migrate");

        Assert.True(exit == 0, output);
        Assert.Contains("Encrypted the Spamhaus DQS key", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, await RawRowAsync(database), StringComparison.Ordinal);
        var protector = new SecretProtector(DataProtectionProvider.Create(new DirectoryInfo(keysDirectory), b => b.SetApplicationName("Deliverability")));
        await using var read = database.CreateDbContext();
        var row = await read.ChecksSettings.SingleAsync(Ct);
        Assert.Null(row.LegacyPlainSpamhausDqsKey);
        Assert.Equal(Key, protector.TryUnprotect(SecretPurposes.SpamhausDqsKey, row.ProtectedSpamhausDqsKey!));
    }

    /// <summary>Every column of the settings row as text, the way someone with a copy of the database would read it.</summary>
    private static async Task<string> RawRowAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT row_to_json(s)::text FROM checks_settings s", connection);
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }
}
