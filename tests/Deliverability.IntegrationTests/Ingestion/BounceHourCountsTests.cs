using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.IntegrationTests.Remediation;
using Deliverability.Core.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>
/// The IP page's timeline reads the hourly counts: they must show a batch's bounces the moment it is read, before (and without)
/// any diagnosis, and stay exact when a re-parse or an assignment moves the bounces.
/// </summary>
public sealed class BounceHourCountsTests(RecordingAppFixture app) : IClassFixture<RecordingAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> IngestAsync(params string[] fixtures)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
        var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, Ct);
        await uploads.AddFileAsync(batchId, "bounces.mbox", new MemoryStream(Fixtures.Mbox(fixtures)), Ct);
        await uploads.MarkSubmittedAsync(batchId, Ct);
        await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        return batchId;
    }

    private async Task<int> TimelineBouncesAsync(DeliverabilityDbContext db, long ipId)
    {
        var timeline = await IpTimelineData.LoadAsync(db, ipId, null, app.Clock.GetUtcNow(), Ct);
        return timeline.BouncesByFamily.Values.Sum(series => series.Sum());
    }

    [Fact]
    public async Task IngestBatchJob_WhenTheBatchIsRead_TheTimelineShowsItsBouncesBeforeAnyDiagnosis()
    {
        var batchId = await IngestAsync("outlook-s3150", "outlook-s3150");

        await using var db = app.Factory.Database.CreateDbContext();
        var ipId = await db.Bounces.Where(b => b.BatchId == batchId).Select(b => b.SendingIpId!.Value).Distinct().SingleAsync(Ct);
        Assert.False(await db.IpStatus.AnyAsync(s => s.SendingIpId == ipId, Ct)); // the diagnosis was only queued
        Assert.Equal(2, await TimelineBouncesAsync(db, ipId));
        var hour = await db.BounceHours.SingleAsync(h => h.SendingIpId == ipId, Ct);
        var hard = await db.Bounces.CountAsync(b => b.BatchId == batchId && b.HardBounce, Ct);
        Assert.Equal((new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero), "outlook.com", ReasonFamily.Block, 2, hard), (hour.Hour, hour.Provider, hour.Family, hour.Bounces, hour.Hard));
    }

    [Fact]
    public async Task AssignAsync_WhenUnattributedBouncesAreAssigned_TheirHoursCountForTheIp()
    {
        var batchId = await IngestAsync("qmail-userunknown");
        await using var db = app.Factory.Database.CreateDbContext();
        var unattributed = await db.Bounces.Where(b => b.BatchId == batchId && b.SendingIpId == null).ToListAsync(Ct);
        Assert.NotEmpty(unattributed);
        var ip = new SendingIp { Address = System.Net.IPAddress.Parse("198.51.100.120"), CreatedAt = app.Clock.GetUtcNow() };
        db.SendingIps.Add(ip);
        await db.SaveChangesAsync(Ct);

        var assignment = app.App.Services.GetRequiredService<BounceAssignment>();
        var outcome = await assignment.AssignAsync(new BounceAssignment.Assignment(unattributed[0].ReportingMta, unattributed[0].SenderDomain, ip.Id, null), Ct);

        Assert.True(outcome.Updated > 0);
        Assert.Equal(outcome.Updated, await db.BounceHours.Where(h => h.SendingIpId == ip.Id).SumAsync(h => h.Bounces, Ct));
    }
}

/// <summary>A re-parse reads the whole database: a class (and database) of its own.</summary>
public sealed class BounceHourCountsReparseTests(RecordingAppFixture app) : IClassFixture<RecordingAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReparseJob_RewritingTheBounces_LeavesTheHourlyCountsExact()
    {
        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
            var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, Ct);
            await uploads.AddFileAsync(batchId, "all.mbox", new MemoryStream(Fixtures.Mbox("outlook-s3150", "outlook-s3150", "qmail-userunknown")), Ct);
            await uploads.MarkSubmittedAsync(batchId, Ct);
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        }

        await using var db = app.Factory.Database.CreateDbContext();
        var attributed = await db.Bounces.CountAsync(b => b.SendingIpId != null, Ct);
        var hard = await db.Bounces.CountAsync(b => b.SendingIpId != null && b.HardBounce, Ct);
        Assert.Equal(attributed, await db.BounceHours.SumAsync(h => h.Bounces, Ct));

        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReparseJob>().RunAsync(Ct);
        }

        Assert.Equal(attributed, await db.BounceHours.SumAsync(h => h.Bounces, Ct));
        Assert.Equal(hard, await db.BounceHours.SumAsync(h => h.Hard, Ct));
    }
}
