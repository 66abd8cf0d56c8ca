using System.Net;
using System.Security.Cryptography;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Storage;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Data;

/// <summary>
/// Bounces partitioned by month: the migration converts a database that already holds bounces, months are created ahead and
/// take over what the default partition caught, and retention removes exactly what lies before its cutoff.
/// </summary>
public class BouncePartitionsTests
{
    private const string PreviousMigration = "20261203080608_DmarcBulkTablesWithoutRowChecks";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The first monthly partition: the migration puts everything before next month into bounces_history.</summary>
    private static readonly DateTimeOffset FirstMonth = BouncePartitions.MonthOf(DateTimeOffset.UtcNow).AddMonths(1);

    [Fact]
    public async Task Migrate_ADatabaseWithBounces_KeepsEveryRowAndItsIdAndNewIdsContinue()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using (var db = database.CreateDbContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(PreviousMigration, cancellationToken: Ct);
            var seed = await SeedAsync(db);
            await seed.BounceAsync(new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero));
            await seed.BounceAsync(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        }

        await using (var db = database.CreateDbContext())
        {
            var before = await db.Bounces.OrderBy(b => b.Id).Select(b => new { b.Id, b.OccurredAt, b.Recipient }).ToListAsync(Ct);
            await db.Database.MigrateAsync(Ct);

            var after = await db.Bounces.OrderBy(b => b.Id).Select(b => new { b.Id, b.OccurredAt, b.Recipient }).ToListAsync(Ct);
            Assert.Equal(before, after);
            Assert.Equal(1, await Scalar(db, "SELECT count(*)::int AS \"Value\" FROM pg_partitioned_table WHERE partrelid = 'bounces'::regclass"));
            Assert.Equal(2, await Scalar(db, "SELECT count(*)::int AS \"Value\" FROM ONLY bounces_history"));

            var seed = await SeedAsync(db);
            var newId = await seed.BounceAsync(FirstMonth.AddDays(3));
            Assert.True(newId > before.Max(b => b.Id), "new ids continue after the converted rows");
            Assert.Equal($"bounces_p{FirstMonth:yyyy_MM}", await PartitionOfAsync(db, newId));
        }
    }

    [Fact]
    public async Task EnsureAhead_CreatesTheMonthsOnceAndTakesOverWhatTheDefaultPartitionCaught()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDbContext();
        var later = FirstMonth.AddMonths(9);
        var seed = await SeedAsync(db);
        var early = await seed.BounceAsync(later.AddDays(12));
        Assert.Equal("bounces_default", await PartitionOfAsync(db, early));

        var created = await BouncePartitions.EnsureAheadAsync(db, later.AddDays(1), Ct);

        Assert.Equal(Enumerable.Range(0, BouncePartitions.MonthsAhead + 1).Select(i => $"bounces_p{later.AddMonths(i):yyyy_MM}"), created);
        Assert.Equal($"bounces_p{later:yyyy_MM}", await PartitionOfAsync(db, early));
        Assert.Equal(0, await Scalar(db, "SELECT count(*)::int AS \"Value\" FROM ONLY bounces_default"));
        Assert.Empty(await BouncePartitions.EnsureAheadAsync(db, later.AddDays(1), Ct));
        // A month inside the history partition is left to it.
        Assert.Empty(await BouncePartitions.EnsureAheadAsync(db, FirstMonth.AddMonths(-4), Ct));
    }

    [Fact]
    public async Task Retention_DropsTheMonthsBeforeTheCutoffWithTheirRawMessages_AndKeepsTheIpStatus()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDbContext();
        var seed = await SeedAsync(db);
        await seed.BounceAsync(FirstMonth.AddMonths(-3));
        await seed.BounceAsync(FirstMonth.AddDays(2));
        var kept = await seed.BounceAsync(FirstMonth.AddMonths(1).AddDays(2));
        db.IpStatus.Add(new IpStatusSnapshot { SendingIpId = seed.SendingIpId, Health = IpHealth.Blocked, Verdict = "Blocked by Outlook.com", BlockedBy = "outlook.com" });
        await db.SaveChangesAsync(Ct);

        // Four months kept at FirstMonth + 5: the cutoff is FirstMonth + 1, so the history and the first month go.
        var now = FirstMonth.AddMonths(5).AddDays(4);
        var plan = await BouncePartitions.PlanAsync(db, 4, now, Ct);
        Assert.Equal(FirstMonth.AddMonths(1), plan.Cutoff);
        Assert.Equal(["bounces_history", $"bounces_p{FirstMonth:yyyy_MM}"], plan.Drop.Select(p => p.Name));
        Assert.Equal(2, plan.Rows);

        var result = await BouncePartitions.ApplyAsync(db, plan, Ct);

        Assert.Equal(new BounceRetentionResult(2, 2, 2), result);
        Assert.Equal([kept], await db.Bounces.Select(b => b.Id).ToListAsync(Ct));
        Assert.Equal(1, await db.RawMessages.CountAsync(Ct));
        Assert.Equal("Blocked by Outlook.com", (await db.IpStatus.SingleAsync(Ct)).Verdict);
        Assert.True((await BouncePartitions.PlanAsync(db, 4, now, Ct)).IsEmpty);

        // Without the history partition an old bounce lands in the default partition; the next run deletes it row by row.
        var old = await seed.BounceAsync(FirstMonth.AddMonths(-8));
        Assert.Equal("bounces_default", await PartitionOfAsync(db, old));
        var trim = await BouncePartitions.PlanAsync(db, 4, now, Ct);
        Assert.Equal(1, trim.Rows);
        Assert.Equal(new BounceRetentionResult(0, 1, 1), await BouncePartitions.ApplyAsync(db, trim, Ct));
        Assert.Equal([kept], await db.Bounces.Select(b => b.Id).ToListAsync(Ct));
    }

    [Fact]
    public async Task HourlyCounts_OfRemovedMonths_SurviveTheRebuildAReparseEndsWith()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDbContext();
        var seed = await SeedAsync(db);
        var old = FirstMonth.AddMonths(-3).AddHours(5);
        var recent = FirstMonth.AddMonths(2).AddHours(7);
        await seed.BounceAsync(old);
        await seed.BounceAsync(recent);
        await BounceHours.RebuildAllAsync(db, Ct);
        Assert.Equal([old, recent], await db.BounceHours.OrderBy(h => h.Hour).Select(h => h.Hour).ToListAsync(Ct));

        await BouncePartitions.ApplyAsync(db, await BouncePartitions.PlanAsync(db, 4, FirstMonth.AddMonths(5), Ct), Ct);
        await BounceHours.RebuildAllAsync(db, Ct);

        Assert.Equal(1, await db.Bounces.CountAsync(Ct));
        Assert.Equal([old, recent], await db.BounceHours.OrderBy(h => h.Hour).Select(h => h.Hour).ToListAsync(Ct));
        Assert.Equal(FirstMonth.AddMonths(1), (await db.StorageSettings.SingleAsync(Ct)).BouncesRemovedBefore);
    }

    [Fact]
    public async Task MaintenanceJob_AppliesTheRetentionSetInSettings_AndRefusesTooShortOrNonAdminChanges()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(FirstMonth.AddMonths(5).AddDays(4));
        var retention = new BounceRetention(database, clock, NullLogger<BounceRetention>.Instance);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => retention.SetAsync(3, isAdmin: true, "admin@example.com", Ct));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => retention.SetAsync(6, isAdmin: false, "operator@example.com", Ct));
        await using var db = database.CreateDbContext();
        var seed = await SeedAsync(db);
        await seed.BounceAsync(FirstMonth.AddMonths(-1));
        var kept = await seed.BounceAsync(FirstMonth.AddMonths(4));

        await new StorageMaintenanceJob(db, clock, NullLogger<StorageMaintenanceJob>.Instance).RunAsync(Ct);
        Assert.Equal(2, await db.Bounces.CountAsync(Ct));

        await retention.SetAsync(4, isAdmin: true, "admin@example.com", Ct);
        var shown = await retention.ReadAsync(Ct);
        Assert.Equal(4, shown.RetentionMonths);
        Assert.Equal("admin@example.com", shown.UpdatedBy);
        Assert.Contains(shown.NextRun!.Drop, p => p.Name == "bounces_history");
        await new StorageMaintenanceJob(db, clock, NullLogger<StorageMaintenanceJob>.Instance).RunAsync(Ct);

        Assert.Equal([kept], await db.Bounces.Select(b => b.Id).ToListAsync(Ct));
        Assert.Contains((await retention.ReadAsync(Ct)).Partitions, p => p.Name == $"bounces_p{clock.GetUtcNow().AddMonths(BouncePartitions.MonthsAhead):yyyy_MM}");
    }

    private static Task<int> Scalar(DeliverabilityDbContext db, string sql) =>
        db.Database.SqlQueryRaw<int>(sql).SingleAsync(Ct);

    private static Task<string> PartitionOfAsync(DeliverabilityDbContext db, long bounceId) =>
        db.Database.SqlQuery<string>($"SELECT tableoid::regclass::text AS \"Value\" FROM bounces WHERE id = {bounceId}").SingleAsync(Ct);

    private static async Task<Seed> SeedAsync(DeliverabilityDbContext db)
    {
        var ip = await db.SendingIps.FirstOrDefaultAsync(Ct) ?? new SendingIp { Address = IPAddress.Parse("203.0.113.9"), CreatedAt = DateTimeOffset.UtcNow };
        if (ip.Id == 0) db.SendingIps.Add(ip);
        var batch = new IngestBatch { CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "tests", Status = IngestStatus.Completed };
        db.IngestBatches.Add(batch);
        await db.SaveChangesAsync(Ct);
        return new Seed(db, ip.Id, batch.Id);
    }

    /// <summary>Each bounce with a raw message of its own, as one returned message per failed recipient.</summary>
    private sealed class Seed(DeliverabilityDbContext db, long sendingIpId, long batchId)
    {
        public long SendingIpId { get; } = sendingIpId;

        public async Task<long> BounceAsync(DateTimeOffset at)
        {
            var raw = new RawMessage { Sha256 = RandomNumberGenerator.GetBytes(32), Gzip = [], FirstBatchId = batchId, ReceivedAt = at };
            db.RawMessages.Add(raw);
            await db.SaveChangesAsync(Ct);
            var bounce = new Bounce
            {
                RawMessageId = raw.Id, BatchId = batchId, SendingIpId = SendingIpId, Recipient = $"user{raw.Id}@example.net", Reason = "blocked",
                HardBounce = true, Kind = Core.Bounces.BounceKind.Bounce, OccurredAt = at,
            };
            db.Bounces.Add(bounce);
            await db.SaveChangesAsync(Ct);
            return bounce.Id;
        }
    }
}
