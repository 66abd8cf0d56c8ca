using System.Net;
using Deliverability.Core.Ips;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.IntegrationTests.Data;

public class MigrationsTests
{
    [Fact]
    public async Task Migrate_WhenDatabaseIsEmpty_CreatesSchemaMatchingTheModel()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using var db = database.CreateDbContext();

        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration holds: add one.");
    }

    [Fact]
    public async Task SendingIps_WhenSameAddressAddedTwice_DatabaseRefusesTheSecond()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = database.CreateDbContext())
        {
            db.SendingIps.Add(new SendingIp { Address = IPAddress.Parse("203.0.113.5"), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var second = database.CreateDbContext();
        second.SendingIps.Add(new SendingIp { Address = IPAddress.Parse("203.0.113.5"), CreatedAt = DateTimeOffset.UtcNow });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(error.InnerException).SqlState);
    }

    [Fact]
    public async Task SendingIps_WhenIpv6Stored_ReadsBackAsTheSameInetValue()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = database.CreateDbContext())
        {
            db.SendingIps.Add(new SendingIp { Address = IPAddress.Parse("2001:db8::25"), Label = "mx6", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = database.CreateDbContext();
        var ip = await read.SendingIps.SingleAsync(x => x.Address == IPAddress.Parse("2001:db8::25"), TestContext.Current.CancellationToken);
        Assert.Equal("mx6", ip.Label);
    }
}
