using System.Net;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Ips;
using Deliverability.Core.Jobs;
using Deliverability.Core.Users;
using Deliverability.Testing;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Checks;

/// <summary>The whole path with a real Hangfire server: POST → "check-now" queue → CheckIpJob (lock, DI scope) → stored run.</summary>
public sealed class CheckJobsOnHangfireTests : IAsyncLifetime
{
    private static readonly string[] CrashAddresses = ["192.0.2.21", "192.0.2.22", "192.0.2.10"];
    private DeliverabilityAppFactory _factory = default!;

    // One host only: settings go in through the factory. A second host (WithWebHostBuilder) would start a second job
    // server without them, and whichever server fetched the check would decide which resolver it asked.
    public async ValueTask InitializeAsync() =>
        _factory = new DeliverabilityAppFactory(await TestDatabase.CreateAsync(), runJobServer: true, new Dictionary<string, string>
        {
            ["Dns:NameServers:0"] = ChecksAppFixture.DnsServer,
            ["Checks:ZoneSuffix"] = "dnsbl.test",
            ["Checks:ResolverMustExist"] = "deliverability.test",
            ["Checks:ResolverMustNotExist"] = "nxdomain-probe.deliverability.test",
        });

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _factory.Database.DisposeAsync();
    }

    [Fact]
    public async Task PostCheck_WithAJobServer_RunsTheCheckAndStoresTheRun()
    {
        var ct = TestContext.Current.CancellationToken;
        long id;
        await using (var db = _factory.Database.CreateDbContext())
        {
            var ip = new SendingIp { Address = IPAddress.Parse("192.0.2.10"), CreatedAt = DateTimeOffset.UtcNow, Domains = ["good.test"] };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(ct);
            id = ip.Id;
        }

        var run = await PostCheckAndWaitAsync(id, "operator-live@example.com");

        Assert.NotNull(run);
        Assert.Equal((CheckRunStatus.Completed, CheckTrigger.Manual), (run.Status, run.Trigger));
        Assert.True(run.PassCount > 10, $"{run.PassCount} pass, {run.WarnCount} warn, {run.FailCount} fail, {run.UnknownCount} unknown; DNS health: {run.DnsHealth}");
    }

    [Fact]
    public async Task PostCheck_WhileHundredsOfScheduledChecksAreQueued_RunsWithoutWaitingForThem()
    {
        var ct = TestContext.Current.CancellationToken;
        long busy, asked;
        await using (var db = _factory.Database.CreateDbContext())
        {
            var busyIp = new SendingIp { Address = IPAddress.Parse("192.0.2.11"), CreatedAt = DateTimeOffset.UtcNow };
            var askedIp = new SendingIp { Address = IPAddress.Parse("192.0.2.10"), CreatedAt = DateTimeOffset.UtcNow, Domains = ["good.test"] };
            db.SendingIps.AddRange(busyIp, askedIp);
            await db.SaveChangesAsync(ct);
            (busy, asked) = (busyIp.Id, askedIp.Id);
        }

        // A scheduled fan-out's worth of checks, all for one IP: they run one at a time (the per-IP lock), for minutes.
        var jobs = _factory.Services.GetRequiredService<IBackgroundJobClient>();
        for (var i = 0; i < 200; i++)
        {
            jobs.Enqueue<CheckIpJob>(JobQueues.Checks, j => j.RunAsync(busy, nameof(CheckTrigger.Scheduled), CancellationToken.None));
        }

        var run = await PostCheckAndWaitAsync(asked, "operator-busy@example.com");

        Assert.True(run?.Status == CheckRunStatus.Completed,
            $"Check now: {run?.Status.ToString() ?? "no run"}; jobs: {await HangfireJobs.DescribeAsync(_factory.Database, ct)}");
        await using (var db = _factory.Database.CreateDbContext())
        {
            var scheduledRuns = await db.CheckRuns.CountAsync(r => r.SendingIpId == busy, ct);
            Assert.True(scheduledRuns < 150, $"the asked-for check finished only after {scheduledRuns} of the 200 scheduled ones");
        }
    }

    [Fact]
    public async Task PostCheck_AfterACrashLeftScheduledChecksHoldingTheirIps_StartsWithinSeconds()
    {
        var ct = TestContext.Current.CancellationToken;
        long first, second, asked;
        // The app started: its job servers run and Hangfire's schema exists.
        var jobs = _factory.Services.GetRequiredService<IBackgroundJobClient>();
        await using (var db = _factory.Database.CreateDbContext())
        {
            var ips = CrashAddresses.Select(a => new SendingIp { Address = IPAddress.Parse(a), CreatedAt = DateTimeOffset.UtcNow, Domains = ["good.test"] }).ToList();
            db.SendingIps.AddRange(ips);
            await db.SaveChangesAsync(ct);
            (first, second, asked) = (ips[0].Id, ips[1].Id, ips[2].Id);
            // What kill -9 in the middle of two scheduled checks leaves: each IP still marked as being checked by a run
            // that no longer exists.
            await CrashedCheckAsync(db, first, ct);
            await CrashedCheckAsync(db, second, ct);
        }

        // After the restart the scheduler queues those two IPs again; the check workers take them first.
        jobs.Enqueue<CheckIpJob>(JobQueues.Checks, j => j.RunAsync(first, nameof(CheckTrigger.Scheduled), CancellationToken.None));
        jobs.Enqueue<CheckIpJob>(JobQueues.Checks, j => j.RunAsync(second, nameof(CheckTrigger.Scheduled), CancellationToken.None));
        await Task.Delay(3000, ct);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var run = await PostCheckAndWaitAsync(asked, "operator-after-crash@example.com", TimeSpan.FromSeconds(30));

        Assert.True(run?.Status == CheckRunStatus.Completed,
            $"Check now had no completed run after {started.Elapsed.TotalSeconds:0} s (run: {run?.Status.ToString() ?? "none"}); jobs: {await HangfireJobs.DescribeAsync(_factory.Database, ct)}");
        await using (var db = _factory.Database.CreateDbContext())
        {
            // The crashed runs' IPs are checked too, once their dead holder's claim ran out, not after a ten-minute lock.
            Assert.True(await db.CheckRuns.CountAsync(r => r.SendingIpId == first || r.SendingIpId == second, ct) >= 1,
                $"no check of the crashed IPs; jobs: {await HangfireJobs.DescribeAsync(_factory.Database, ct)}");
        }
    }

    /// <summary>Signs in as a new operator, posts "check now" for the IP and waits (up to 60 s) for its run to complete.</summary>
    private async Task<CheckRun?> PostCheckAndWaitAsync(long id, string operatorEmail, TimeSpan? wait = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await _factory.AddUserAsync(operatorEmail, Roles.Operator);
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        using (var signIn = await SignedInClient.PostSignInAsync(client, operatorEmail, DeliverabilityAppFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        await SignedInClient.AddApiAntiforgeryTokenAsync(client);

        using var response = await client.PostAsync(new Uri($"/api/v1/sending-ips/{id}/check", UriKind.Relative), null, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        CheckRun? run = null;
        var until = DateTimeOffset.UtcNow + (wait ?? TimeSpan.FromSeconds(60));
        while (DateTimeOffset.UtcNow < until && run?.Status is not CheckRunStatus.Completed)
        {
            await Task.Delay(500, ct);
            await using var db = _factory.Database.CreateDbContext();
            run = await db.CheckRuns.AsNoTracking().SingleOrDefaultAsync(r => r.SendingIpId == id, ct);
        }

        return run;
    }

    /// <summary>
    /// The state a check of this IP leaves when its process is killed mid-run: the IP's claim, held by a run that no longer
    /// renews it (its lease ends in 3 s). Before claims, it was the Hangfire lock "hangfire:check-ip:{id}", which stayed for
    /// ten minutes while both check workers waited on it and "Check now" of any IP sat Enqueued, never fetched.
    /// </summary>
    private static Task<int> CrashedCheckAsync(Deliverability.Core.Data.DeliverabilityDbContext db, long ipId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO job_claims (name, claimed_by, claimed_until) VALUES ({"check-ip:" + ipId}, 'killed-host:1:run', clock_timestamp() + interval '3 seconds')
            """, ct);
}
