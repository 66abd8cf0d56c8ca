using System.Net;
using System.Security.Cryptography;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Logs;
using Deliverability.Core.Storage;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Data;

/// <summary>
/// The retention of MTA log lines and of check results: the daily job removes exactly what lies before the cutoff, and what the
/// pages and the diagnosis summarise stays (hourly log counts, even when a later upload rebuilds them; each IP's latest check run;
/// the runs and the changes they found).
/// </summary>
public class EvidenceRetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    /// <summary>4 months kept before November 2026: everything before 1 July 2026 goes.</summary>
    private static readonly DateTimeOffset Cutoff = new(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task LogLines_BeforeTheCutoffAreRemoved_AndTheirHourlyCountsSurviveALaterRebuild()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Now);
        await using var db = database.CreateDbContext();
        var (ipId, fileId) = await SeedFileAsync(db);
        AddDelivery(db, fileId, ipId, Cutoff.AddDays(-40), DeliveryStatus.Deferred);
        AddDelivery(db, fileId, ipId, Cutoff.AddMinutes(-1), DeliveryStatus.Sent);
        var kept = AddDelivery(db, fileId, ipId, Cutoff.AddDays(10), DeliveryStatus.Sent);
        AddLogin(db, fileId, Cutoff.AddDays(-3));
        var keptLogin = AddLogin(db, fileId, Cutoff.AddDays(3));
        await db.SaveChangesAsync(Ct);
        await MtaLogHourCounts.RebuildAsync(db, ["mx1.example.net"], Ct);
        var hoursBefore = await HoursAsync(db);
        Assert.Equal(3, hoursBefore.Count);

        var retention = new EvidenceRetention(database, clock, NullLogger<EvidenceRetention>.Instance);
        await retention.SetAsync(RetainedEvidence.LogLines, 4, isAdmin: true, "admin@example.com", Ct);
        var shown = (await retention.ReadAsync(Ct)).Single(s => s.Kind == RetainedEvidence.LogLines);
        Assert.Equal((4, Cutoff, 3L), (shown.RetentionMonths, shown.NextRun!.Cutoff, shown.NextRun.Rows));
        Assert.Equal(5, shown.Rows);

        await new StorageMaintenanceJob(db, clock, NullLogger<StorageMaintenanceJob>.Instance).RunAsync(Ct);

        Assert.Equal([kept.Id], await db.MtaLogDeliveries.Select(d => d.Id).ToListAsync(Ct));
        Assert.Equal([keptLogin.Id], await db.MtaLogLogins.Select(l => l.Id).ToListAsync(Ct));
        Assert.Equal(hoursBefore, await HoursAsync(db));
        Assert.Equal(Cutoff, (await db.StorageSettings.AsNoTracking().SingleAsync(Ct)).LogLinesRemovedBefore);
        Assert.True((await retention.ReadAsync(Ct)).Single(s => s.Kind == RetainedEvidence.LogLines).NextRun!.IsEmpty);

        // The host's log uploaded again later: its hours are rebuilt from the lines, but only from the cutoff on.
        AddDelivery(db, fileId, ipId, Cutoff.AddDays(10).AddMinutes(5), DeliveryStatus.Deferred);
        await db.SaveChangesAsync(Ct);
        await MtaLogHourCounts.RebuildAsync(db, ["mx1.example.net"], Ct);
        var hoursAfter = await HoursAsync(db);
        Assert.Equal(hoursBefore.Where(h => h.Hour < Cutoff), hoursAfter.Where(h => h.Hour < Cutoff));
        Assert.Contains(hoursAfter, h => h.Hour == new DateTimeOffset(2026, 7, 11, 0, 0, 0, TimeSpan.Zero) && h.Attempts == 2 && h.Deferred == 1);
        Assert.Single(await db.MtaLogLoginHours.Where(h => h.Hour < Cutoff).ToListAsync(Ct));
    }

    [Fact]
    public async Task CheckResults_OfOldRunsAreRemoved_ButEachIpsLatestRunTheLatestKnownResultsAndEveryChangeStay()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Now);
        await using var db = database.CreateDbContext();
        var checkedOften = new SendingIp { Address = IPAddress.Parse("203.0.113.10"), CreatedAt = Now.AddYears(-1) };
        var checkedOnce = new SendingIp { Address = IPAddress.Parse("203.0.113.11"), CreatedAt = Now.AddYears(-1) };
        var unknownLately = new SendingIp { Address = IPAddress.Parse("203.0.113.12"), CreatedAt = Now.AddYears(-1) };
        db.SendingIps.AddRange(checkedOften, checkedOnce, unknownLately);
        await db.SaveChangesAsync(Ct);
        var old = await RunAsync(db, checkedOften.Id, Cutoff.AddMonths(-2), CheckStatus.Fail);
        db.CheckChanges.Add(new CheckChange
        {
            SendingIpId = checkedOften.Id, RunId = old.Id, Check = "blocklist:zen.spamhaus.org", Target = "203.0.113.10",
            FromStatus = CheckStatus.Pass, ToStatus = CheckStatus.Fail, At = old.StartedAt, Summary = "listed",
        });
        await db.SaveChangesAsync(Ct);
        var onlyRun = await RunAsync(db, checkedOnce.Id, Cutoff.AddMonths(-3), CheckStatus.Pass);
        var recent = await RunAsync(db, checkedOften.Id, Cutoff.AddMonths(2), CheckStatus.Pass);
        var failedLater = await RunAsync(db, checkedOnce.Id, Cutoff.AddMonths(-1), CheckStatus.Unknown, CheckRunStatus.Failed);
        // Listed long ago, and every lookup since answered nothing: the old result is what the next known answer is compared with.
        var lastKnown = await RunAsync(db, unknownLately.Id, Cutoff.AddMonths(-2), CheckStatus.Fail);
        var unknownRecent = await RunAsync(db, unknownLately.Id, Cutoff.AddMonths(1), CheckStatus.Unknown);

        var retention = new EvidenceRetention(database, clock, NullLogger<EvidenceRetention>.Instance);
        await retention.SetAsync(RetainedEvidence.CheckResults, 4, isAdmin: true, "admin@example.com", Ct);
        Assert.Equal(4L, (await retention.ReadAsync(Ct)).Single(s => s.Kind == RetainedEvidence.CheckResults).NextRun!.Rows);

        await new StorageMaintenanceJob(db, clock, NullLogger<StorageMaintenanceJob>.Instance).RunAsync(Ct);

        Assert.Equal([onlyRun.Id, recent.Id, lastKnown.Id, unknownRecent.Id], await db.CheckResults.Select(r => r.RunId).Distinct().OrderBy(id => id).ToListAsync(Ct));
        Assert.Equal(6, await db.CheckRuns.CountAsync(Ct));
        Assert.Single(await db.CheckChanges.Where(c => c.RunId == old.Id).ToListAsync(Ct));
        Assert.Equal(2, (await LatestCheckResults.ReadAsync(db, checkedOnce.Id, Ct)).Results.Count);
        Assert.Empty(await db.CheckResults.Where(r => r.RunId == failedLater.Id).ToListAsync(Ct));
    }

    [Fact]
    public async Task SetAsync_RefusesNonAdminsAndTooShortRetention_AndNullKeepsEverything()
    {
        await using var database = await TestDatabase.CreateAsync();
        var retention = new EvidenceRetention(database, new FakeTimeProvider(Now), NullLogger<EvidenceRetention>.Instance);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => retention.SetAsync(RetainedEvidence.LogLines, 6, isAdmin: false, "operator@example.com", Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => retention.SetAsync(RetainedEvidence.CheckResults, 3, isAdmin: true, "admin@example.com", Ct));

        await retention.SetAsync(RetainedEvidence.CheckResults, 12, isAdmin: true, "admin@example.com", Ct);
        await retention.SetAsync(RetainedEvidence.CheckResults, null, isAdmin: true, "admin@example.com", Ct);
        var shown = await retention.ReadAsync(Ct);
        Assert.All(shown, s => Assert.Null(s.RetentionMonths));
        Assert.All(shown, s => Assert.Null(s.NextRun));
    }

    private static async Task<(long IpId, long FileId)> SeedFileAsync(DeliverabilityDbContext db)
    {
        var ip = new SendingIp { Address = IPAddress.Parse("203.0.113.9"), CreatedAt = Now.AddYears(-1) };
        var batch = new IngestBatch { CreatedAt = Now.AddYears(-1), CreatedBy = "tests", Status = IngestStatus.Completed };
        db.SendingIps.Add(ip);
        db.IngestBatches.Add(batch);
        await db.SaveChangesAsync(Ct);
        var file = new IngestFile { BatchId = batch.Id, Name = "maillog", Sha256 = RandomNumberGenerator.GetBytes(32), Kind = IngestFileKind.MtaLog, Status = IngestStatus.Completed };
        db.IngestFiles.Add(file);
        await db.SaveChangesAsync(Ct);
        return (ip.Id, file.Id);
    }

    private static MtaLogDelivery AddDelivery(DeliverabilityDbContext db, long fileId, long ipId, DateTimeOffset at, DeliveryStatus status)
    {
        var line = new MtaLogDelivery
        {
            FileId = fileId, SendingIpId = ipId, LogHost = "mx1.example.net", Instance = "postfix", Program = "postfix/smtp", At = at,
            Recipient = "user@example.org", Status = status, Provider = "outlook.com", LineHash = RandomNumberGenerator.GetBytes(32),
        };
        db.MtaLogDeliveries.Add(line);
        return line;
    }

    private static MtaLogLogin AddLogin(DeliverabilityDbContext db, long fileId, DateTimeOffset at)
    {
        var login = new MtaLogLogin
        {
            FileId = fileId, LogHost = "mx1.example.net", Instance = "postfix", At = at, User = "sales@example.net", Succeeded = false,
            LineHash = RandomNumberGenerator.GetBytes(32),
        };
        db.MtaLogLogins.Add(login);
        return login;
    }

    private static async Task<List<(DateTimeOffset Hour, int Attempts, int Deferred)>> HoursAsync(DeliverabilityDbContext db) =>
        (await db.MtaLogHours.AsNoTracking().OrderBy(h => h.Hour).Select(h => new { h.Hour, h.Attempts, h.Deferred }).ToListAsync(Ct))
        .Select(h => (h.Hour, h.Attempts, h.Deferred)).ToList();

    /// <summary>A finished check run with two results (its status for both) at <paramref name="at"/>.</summary>
    private static async Task<CheckRun> RunAsync(DeliverabilityDbContext db, long ipId, DateTimeOffset at, CheckStatus status, CheckRunStatus runStatus = CheckRunStatus.Completed)
    {
        var run = new CheckRun { SendingIpId = ipId, StartedAt = at, FinishedAt = at.AddMinutes(1), Trigger = CheckTrigger.Scheduled, Status = runStatus };
        db.CheckRuns.Add(run);
        await db.SaveChangesAsync(Ct);
        foreach (var check in new[] { "blocklist:zen.spamhaus.org", "ptr" })
        {
            db.CheckResults.Add(new StoredCheckResult
            {
                RunId = run.Id, SendingIpId = ipId, Check = check, Target = "203.0.113.10", Status = status, Summary = "checked", Details = "{}", CheckedAt = at,
            });
        }

        await db.SaveChangesAsync(Ct);
        return run;
    }
}
