using System.Net;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Secrets;
using Deliverability.IntegrationTests.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Checks;

public class CheckJobsTests(ChecksAppFixture app) : IClassFixture<ChecksAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DeliverabilityDbContext Db() => app.Factory.Database.CreateDbContext();

    private async Task<long> AddIpAsync(string address, bool enabled = true, string[]? domains = null, string[]? dkim = null, string? helo = null)
    {
        await using var db = Db();
        var ip = new SendingIp
        {
            Address = IPAddress.Parse(address),
            CreatedAt = DateTimeOffset.UtcNow,
            ChecksEnabled = enabled,
            Domains = [.. domains ?? []],
            DkimSelectors = [.. dkim ?? []],
            HeloName = helo,
        };
        db.SendingIps.Add(ip);
        await db.SaveChangesAsync(Ct);
        return ip.Id;
    }

    private async Task RunCheckAsync(long id, string trigger = "Manual")
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CheckIpJob>().RunAsync(id, trigger, Ct);
    }

    [Fact]
    public async Task CheckIpJob_WhenRunTwiceAgainstFixtures_StoresTwoIdenticalRunsAndNoChanges()
    {
        var id = await AddIpAsync("192.0.2.10", domains: ["good.test"], dkim: ["good.test:rsa2048"], helo: "mail.good.test");

        await RunCheckAsync(id);
        await RunCheckAsync(id, "Scheduled");

        await using var db = Db();
        var runs = await db.CheckRuns.Where(r => r.SendingIpId == id).OrderBy(r => r.Id).ToListAsync(Ct);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(CheckRunStatus.Completed, r.Status));
        Assert.Equal([CheckTrigger.Manual, CheckTrigger.Scheduled], runs.Select(r => r.Trigger));
        var results = await db.CheckResults.Where(r => r.SendingIpId == id).ToListAsync(Ct);
        var first = results.Where(r => r.RunId == runs[0].Id).Select(r => (r.Check, r.Target, r.Status)).Order().ToList();
        var second = results.Where(r => r.RunId == runs[1].Id).Select(r => (r.Check, r.Target, r.Status)).Order().ToList();
        Assert.Equal(first, second);
        Assert.Equal(first.Count, runs[0].PassCount + runs[0].WarnCount + runs[0].FailCount + runs[0].UnknownCount);
        Assert.Contains(("spf", "good.test", CheckStatus.Pass), first);
        Assert.Contains(("ptr", "192.0.2.10", CheckStatus.Pass), first);
        Assert.Contains(("helo", "192.0.2.10", CheckStatus.Pass), first);
        Assert.Contains(("dkim", "rsa2048._domainkey.good.test", CheckStatus.Pass), first);
        Assert.Contains(("blocklist:zen.spamhaus.org", "192.0.2.10", CheckStatus.Pass), first);
        var spf = results.First(r => r.Check == "spf");
        Assert.Contains("\"result\"", spf.Details, StringComparison.Ordinal);
        Assert.Empty(await db.CheckChanges.Where(c => c.SendingIpId == id).ToListAsync(Ct));
    }

    [Fact]
    public async Task CheckIpJob_WhenPreviousResultDiffers_RecordsChangeEvents()
    {
        var id = await AddIpAsync("192.0.2.5", domains: ["good.test"]);
        await using (var db = Db())
        {
            var old = new CheckRun { SendingIpId = id, StartedAt = DateTimeOffset.UtcNow.AddHours(-6), FinishedAt = DateTimeOffset.UtcNow.AddHours(-6), Status = CheckRunStatus.Completed, Trigger = CheckTrigger.Scheduled };
            db.CheckRuns.Add(old);
            await db.SaveChangesAsync(Ct);
            db.CheckResults.AddRange(
                Seed(old, "blocklist:zen.spamhaus.org", "192.0.2.5", CheckStatus.Fail),
                Seed(old, "spf", "good.test", CheckStatus.Fail),
                Seed(old, "mx", "good.test", CheckStatus.Pass));
            await db.SaveChangesAsync(Ct);
        }

        await RunCheckAsync(id);

        await using var read = Db();
        var changes = await read.CheckChanges.Where(c => c.SendingIpId == id).OrderBy(c => c.Check).ToListAsync(Ct);
        Assert.Equal(2, changes.Count);
        Assert.Equal(("blocklist:zen.spamhaus.org", CheckStatus.Fail, CheckStatus.Pass), (changes[0].Check, changes[0].FromStatus, changes[0].ToStatus));
        Assert.StartsWith("delisted: ", changes[0].Summary, StringComparison.Ordinal);
        Assert.Equal(("spf", "good.test", CheckStatus.Fail, CheckStatus.Pass), (changes[1].Check, changes[1].Target, changes[1].FromStatus, changes[1].ToStatus));
        Assert.StartsWith("fail → pass: ", changes[1].Summary, StringComparison.Ordinal);
        var run = await read.CheckRuns.Where(r => r.SendingIpId == id).OrderByDescending(r => r.Id).FirstAsync(Ct);
        Assert.All(changes, c => Assert.Equal(run.Id, c.RunId));

        static StoredCheckResult Seed(CheckRun run, string check, string target, CheckStatus status) => new()
        {
            RunId = run.Id, SendingIpId = run.SendingIpId, Check = check, Target = target, Status = status,
            Summary = "seeded", Details = "{}", CheckedAt = run.FinishedAt!.Value,
        };
    }

    [Fact]
    public async Task CheckIpJob_WhenBlocklistDisabledAndDqsKeyStored_QueriesOnlyEnabledListsWithTheKey()
    {
        var id = await AddIpAsync("192.0.2.40");
        await using (var db = Db())
        {
            db.BlocklistSettings.Add(new BlocklistSetting { Zone = "bl.spamcop.net", Enabled = false, UpdatedAt = DateTimeOffset.UtcNow });
            var protector = app.App.Services.GetRequiredService<SecretProtector>();
            db.ChecksSettings.Add(new ChecksSettings { ProtectedSpamhausDqsKey = protector.Protect(SecretPurposes.SpamhausDqsKey, "testkey"), UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        try
        {
            await RunCheckAsync(id);

            await using var read = Db();
            var results = await read.CheckResults.Where(r => r.SendingIpId == id).ToListAsync(Ct);
            Assert.DoesNotContain(results, r => r.Check == "blocklist:bl.spamcop.net");
            var zen = results.Single(r => r.Check == "blocklist:zen.spamhaus.org");
            Assert.Contains("<dqs-key>.zen.dq.spamhaus.net", zen.Details, StringComparison.Ordinal);
            Assert.DoesNotContain("testkey", zen.Details, StringComparison.Ordinal);
        }
        finally
        {
            await using var cleanup = Db();
            await cleanup.BlocklistSettings.ExecuteDeleteAsync(Ct);
            await cleanup.ChecksSettings.ExecuteDeleteAsync(Ct);
        }
    }

    [Fact]
    public async Task BuildRequest_WhenIpHasRecentOutlookBlockBounces_LearnsDomainAndDkimKeyAndMarksDomainsBlocked()
    {
        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
            var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, Ct);
            await uploads.AddFileAsync(batchId, "s3150.eml", new MemoryStream(Fixtures.Bounce("outlook-s3150")), Ct);
            await uploads.MarkSubmittedAsync(batchId, Ct);
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        }

        await using var db = Db();
        var ip = await db.SendingIps.SingleAsync(x => x.Address == IPAddress.Parse("203.0.113.5"), Ct);
        // The fixture bounce is from March 2026: make it recent.
        await db.Bounces.Where(b => b.SendingIpId == ip.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.OccurredAt, DateTimeOffset.UtcNow.AddDays(-1)), Ct);

        await using var scope2 = app.App.Services.CreateAsyncScope();
        var request = await scope2.ServiceProvider.GetRequiredService<CheckIpJob>()
            .BuildRequestAsync(ip.Id, ip.Address, ["Configured.Test."], ["configured.test:s1"], null, Ct);

        Assert.Equal(["configured.test", "example.com"], request.Domains);
        Assert.Equal([new DkimSelector("configured.test", "s1"), new DkimSelector("example.com", "mail2026")], request.DkimSelectors);
        Assert.Equal(["configured.test", "example.com"], request.BlockedDomains!.Order());
    }

    [Fact]
    public async Task CheckAllIpsJob_EnqueuesOneCheckPerEnabledIp()
    {
        var a = await AddIpAsync("198.51.100.1");
        var b = await AddIpAsync("198.51.100.2");
        var off = await AddIpAsync("198.51.100.3", enabled: false);
        app.Jobs.Created.Clear();

        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CheckAllIpsJob>().RunAsync(Ct);
        }

        var enqueued = app.Jobs.Created.ToList();
        Assert.All(enqueued, j => Assert.Equal((typeof(CheckIpJob), "RunAsync", "checks"), (j.Job.Type, j.Job.Method.Name, j.Queue)));
        Assert.All(enqueued, j => Assert.Equal("Scheduled", j.Job.Args[1]));
        var ids = enqueued.Select(j => (long)j.Job.Args[0]).ToList();
        Assert.Contains(a, ids);
        Assert.Contains(b, ids);
        Assert.DoesNotContain(off, ids);
        await using var db = Db();
        Assert.Equal(await db.SendingIps.CountAsync(x => x.ChecksEnabled, Ct), ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
