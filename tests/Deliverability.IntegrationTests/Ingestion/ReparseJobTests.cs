using System.Diagnostics;
using Deliverability.Core.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Ingestion;

public class ReparseJobTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_WhenDerivedRowsAreStaleOrMissing_RebuildsThemFromTheStoredMessages()
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
            var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, Ct);
            await uploads.AddFileAsync(batchId, "all.mbox", new MemoryStream(Fixtures.Mbox("outlook-s3150", "qmail-userunknown", "jmrp")), Ct);
            await uploads.MarkSubmittedAsync(batchId, Ct);
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        }

        await using (var db = app.Factory.Database.CreateDbContext())
        {
            Assert.Equal((3, 1), (await db.Bounces.CountAsync(Ct), await db.Complaints.CountAsync(Ct)));
            // What an older parser might have left behind: a wrong provider code, a lost row.
            await db.Bounces.Where(b => b.ProviderCode == "S3150").ExecuteUpdateAsync(s => s.SetProperty(b => b.ProviderCode, "OLD"), Ct);
            await db.Bounces.Where(b => b.Recipient == "noah@example.org").ExecuteDeleteAsync(Ct);
            // A person assigned this unattributed bounce by hand: that survives.
            var ip = new Deliverability.Core.Ips.SendingIp { Address = System.Net.IPAddress.Parse("198.51.100.90"), CreatedAt = DateTimeOffset.UtcNow };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(Ct);
            await db.Bounces.Where(b => b.Recipient == "mia@example.org").ExecuteUpdateAsync(s => s
                .SetProperty(b => b.SendingIpId, ip.Id).SetProperty(b => b.SendingIpSource, SendingIpSources.Manual), Ct);
        }

        ReparseJob.Outcome? first, second;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            first = await scope.ServiceProvider.GetRequiredService<ReparseJob>().RunAsync(Ct);
            second = await scope.ServiceProvider.GetRequiredService<ReparseJob>().RunAsync(Ct);
        }

        Assert.Equal(new ReparseJob.Outcome(3, 3, 1), first);
        Assert.Equal(first, second);
        await using var check = app.Factory.Database.CreateDbContext();
        Assert.Equal(3, await check.Bounces.CountAsync(Ct));
        Assert.Equal(1, await check.Bounces.CountAsync(b => b.ProviderCode == "S3150", Ct));
        Assert.Equal(1, await check.Bounces.CountAsync(b => b.Recipient == "noah@example.org", Ct));
        Assert.Equal(1, await check.Complaints.CountAsync(Ct));
        Assert.Equal(SendingIpSources.Manual, (await check.Bounces.SingleAsync(b => b.Recipient == "mia@example.org", Ct)).SendingIpSource);
    }
}

/// <summary>The re-parse's claim. A class of its own: a re-parse reads the whole database, and the test above counts every row.</summary>
public class ReparseClaimTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_AfterARunDiedHoldingTheClaim_StartsWithinSeconds()
    {
        // What kill -9 in the middle of a re-parse leaves: the claim of a run that no longer renews it (its lease ends in 3 s).
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO job_claims (name, claimed_by, claimed_until) VALUES ({ReparseJob.ClaimName}, 'killed-host:1:run', clock_timestamp() + interval '3 seconds')
                ON CONFLICT (name) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
                """, Ct);
        }

        var waited = Stopwatch.StartNew();
        ReparseJob.Outcome? outcome = null;
        while (outcome is null && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            outcome = await scope.ServiceProvider.GetRequiredService<ReparseJob>().RunAsync(Ct);
            if (outcome is null) await Task.Delay(500, Ct);
        }

        Assert.NotNull(outcome);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"the re-parse started {waited.Elapsed.TotalSeconds:0.0} s after the dead run's claim");
        await using var check = app.Factory.Database.CreateDbContext();
        Assert.Equal(0, await check.JobClaims.CountAsync(c => c.Name == ReparseJob.ClaimName, Ct));
    }

    [Fact]
    public async Task RunAsync_TwoRequestsAtOnce_OneRunsAndTheOtherDoesNothing()
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
            var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, Ct);
            await uploads.AddFileAsync(batchId, "two.mbox", new MemoryStream(Fixtures.Mbox("outlook-s3150", "qmail-userunknown")), Ct);
            await uploads.MarkSubmittedAsync(batchId, Ct);
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        }

        async Task<ReparseJob.Outcome?> RequestAsync()
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ReparseJob>().RunAsync(Ct);
        }

        var outcomes = await Task.WhenAll(RequestAsync(), RequestAsync());

        Assert.Single(outcomes, o => o is not null);
        Assert.Single(outcomes, o => o is null);
        await using var db = app.Factory.Database.CreateDbContext();
        Assert.Equal(0, await db.JobClaims.CountAsync(Ct));
    }
}
