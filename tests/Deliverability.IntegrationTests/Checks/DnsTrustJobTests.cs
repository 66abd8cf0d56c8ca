using System.Net;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Checks;
using Deliverability.Core.Data;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Checks;

/// <summary>
/// One database, three apps: DNS through the NSD fixture server (healthy), through a private NSD that answers NXDOMAIN to every
/// name (lying), and through the fixture server with SpamCop pointed at a list without its test point.
/// </summary>
public sealed class DnsTrustAppFixture : IAsyncLifetime
{
    public DeliverabilityAppFactory Factory { get; private set; } = default!;
    public WebApplicationFactory<Program> Healthy { get; private set; } = default!;
    public WebApplicationFactory<Program> Lying { get; private set; } = default!;
    public WebApplicationFactory<Program> SpamCopBroken { get; private set; } = default!;
    private PrivateNameServer _lying = default!;

    public async ValueTask InitializeAsync()
    {
        _lying = await PrivateNameServer.StartLyingAsync();
        Factory = new DeliverabilityAppFactory(await TestDatabase.CreateAsync());
        Healthy = App(ChecksAppFixture.DnsServer);
        Lying = App(_lying.Address);
        SpamCopBroken = App(ChecksAppFixture.DnsServer, ("Checks:ZoneOverrides:bl.spamcop.net", "no-test-point"));
    }

    private WebApplicationFactory<Program> App(string server, params (string Key, string Value)[] settings) => Factory.WithWebHostBuilder(b =>
    {
        b.UseSetting("Dns:NameServers:0", server);
        b.UseSetting("Dns:Timeout", "00:00:02");
        b.UseSetting("Checks:ZoneSuffix", "dnsbl.test");
        b.UseSetting("Checks:ResolverMustExist", "deliverability.test");
        b.UseSetting("Checks:ResolverMustNotExist", "nxdomain-probe.deliverability.test");
        foreach (var (key, value) in settings) b.UseSetting(key, value);
    });

    public async ValueTask DisposeAsync()
    {
        await Healthy.DisposeAsync();
        await Lying.DisposeAsync();
        await SpamCopBroken.DisposeAsync();
        await Factory.DisposeAsync();
        await Factory.Database.DisposeAsync();
        await _lying.DisposeAsync();
    }
}

public class DnsTrustJobTests(DnsTrustAppFixture app) : IClassFixture<DnsTrustAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DeliverabilityDbContext Db() => app.Factory.Database.CreateDbContext();

    private async Task<long> AddListedIpAsync(string address)
    {
        await using var db = Db();
        // The tests of this class share one database: each starts from an IP without history (its runs, results and items go with it).
        await db.SendingIps.Where(x => x.Address == IPAddress.Parse(address)).ExecuteDeleteAsync(Ct);
        return await db.AddSendingIpAsync(address, ip => { ip.Domains = ["good.test"]; ip.HeloName = "mail.good.test"; }, Ct);
    }

    /// <summary>"Check now" as the job runs it, then the diagnosis the job asks for.</summary>
    private static async Task CheckNowAsync(WebApplicationFactory<Program> through, long id)
    {
        await using var scope = through.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CheckIpJob>().RunAsync(id, nameof(CheckTrigger.Manual), Ct);
        await scope.ServiceProvider.GetRequiredService<IpDiagnosisJob>().RefreshAsync(id, Ct);
    }

    private async Task<List<StoredCheckResult>> LatestResultsAsync(long id)
    {
        await using var db = Db();
        var run = await db.CheckRuns.Where(r => r.SendingIpId == id).OrderByDescending(r => r.Id).FirstAsync(Ct);
        return await db.CheckResults.Where(r => r.RunId == run.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task CheckNow_WhenResolverAnswersNxDomainForEverything_ListsAreUnknownNothingDelistedNothingTicked()
    {
        // 192.0.2.20 is listed on every fixture list (ZEN, SpamCop, PSBL, ...).
        var id = await AddListedIpAsync("192.0.2.20");
        await CheckNowAsync(app.Healthy, id);
        await using (var db = Db())
        {
            var items = await db.RemediationItems.Where(i => i.SendingIpId == id && i.Key.StartsWith("blocklist:")).ToListAsync(Ct);
            Assert.Contains(items, i => i.Key == "blocklist:zen.spamhaus.org");
            Assert.Contains(items, i => i.Key == "blocklist:bl.spamcop.net");
            Assert.All(items, i => Assert.False(i.Done));
        }

        await CheckNowAsync(app.Lying, id);

        var results = await LatestResultsAsync(id);
        var lists = results.Where(r => r.Check.StartsWith("blocklist:", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, lists.Count);
        Assert.All(results, r => Assert.Equal(CheckStatus.Unknown, r.Status));
        Assert.All(lists, r => Assert.Contains("unknown, the resolver is not answering correctly (deliverability.test must exist, the answer was NXDOMAIN)", r.Summary, StringComparison.Ordinal));
        await using (var db = Db())
        {
            Assert.Empty(await db.CheckChanges.Where(c => c.SendingIpId == id).ToListAsync(Ct));
            var items = await db.RemediationItems.Where(i => i.SendingIpId == id && i.Key.StartsWith("blocklist:")).ToListAsync(Ct);
            Assert.NotEmpty(items);
            Assert.All(items, i => Assert.False(i.Done, $"{i.Key} was ticked from an unknown result"));
            Assert.All(items, i => Assert.True(i.StillEvident, $"{i.Key} was taken for gone from an unknown result"));
            // Nothing but unknown checks (and no bounces): the IP is not called healthy.
            Assert.Equal(IpHealth.NoData, (await db.IpStatus.SingleAsync(s => s.SendingIpId == id, Ct)).Health);
            var run = await db.CheckRuns.Where(r => r.SendingIpId == id).OrderByDescending(r => r.Id).FirstAsync(Ct);
            Assert.Equal(results.Count, run.UnknownCount);
            var health = DnsHealthReport.FromJson(run.DnsHealth)!;
            Assert.False(health.Resolver!.Trusted);
            var sighting = await LatestDnsHealth.LoadAsync(db, Ct);
            Assert.Equal(run.Id, sighting!.RunId);
        }

        // Back on a healthy resolver the IP is still listed: listed → unknown → listed is no event either.
        await CheckNowAsync(app.Healthy, id);
        await using (var db = Db())
        {
            Assert.Empty(await db.CheckChanges.Where(c => c.SendingIpId == id).ToListAsync(Ct));
        }

        Assert.Equal(CheckStatus.Fail, (await LatestResultsAsync(id)).Single(r => r.Check == "blocklist:bl.spamcop.net").Status);
    }

    [Fact]
    public async Task CheckNow_WhenOneListLacksItsTestPoint_OnlyThatListIsUnknownAndItsItemIsNotTicked()
    {
        var id = await AddListedIpAsync("192.0.2.20");
        await CheckNowAsync(app.Healthy, id);

        await CheckNowAsync(app.SpamCopBroken, id);

        var results = await LatestResultsAsync(id);
        var spamcop = results.Single(r => r.Check == "blocklist:bl.spamcop.net");
        Assert.Equal(CheckStatus.Unknown, spamcop.Status);
        Assert.Equal("SpamCop: unknown, the resolver or the list is not answering correctly (test point 127.0.0.2 must be listed, the answer was NXDOMAIN).", spamcop.Summary);
        Assert.Equal(CheckStatus.Fail, results.Single(r => r.Check == "blocklist:zen.spamhaus.org").Status);
        Assert.DoesNotContain("untrusted", results.Single(r => r.Check == "spf").Details, StringComparison.Ordinal);
        Assert.Equal(1, results.Count(r => r.Status == CheckStatus.Unknown && r.Check.StartsWith("blocklist:", StringComparison.Ordinal)));
        await using var db = Db();
        Assert.Empty(await db.CheckChanges.Where(c => c.SendingIpId == id).ToListAsync(Ct));
        var item = await db.RemediationItems.SingleAsync(i => i.SendingIpId == id && i.Key == "blocklist:bl.spamcop.net", Ct);
        Assert.False(item.Done);
        Assert.True(item.StillEvident);
        var run = await db.CheckRuns.Where(r => r.SendingIpId == id).OrderByDescending(r => r.Id).FirstAsync(Ct);
        var health = DnsHealthReport.FromJson(run.DnsHealth)!;
        Assert.True(health.Resolver!.Trusted);
        Assert.Equal(["bl.spamcop.net"], health.Lists.Where(l => !l.Trusted).Select(l => l.Zone));
    }

    [Fact]
    public async Task CheckNow_WhenHealthyAndTheIpIsDelisted_RecordsOneDelistedEvent()
    {
        // Seeded: the IP was listed on SpamCop two runs ago, unknown in the last one; 192.0.2.10 is clean everywhere now.
        var id = await AddListedIpAsync("192.0.2.10");
        await using (var db = Db())
        {
            var at = DateTimeOffset.UtcNow.AddHours(-12);
            foreach (var (status, hours) in new[] { (CheckStatus.Fail, 12), (CheckStatus.Unknown, 6) })
            {
                var old = new CheckRun { SendingIpId = id, StartedAt = at.AddHours(12 - hours), FinishedAt = at.AddHours(12 - hours), Status = CheckRunStatus.Completed, Trigger = CheckTrigger.Scheduled };
                db.CheckRuns.Add(old);
                await db.SaveChangesAsync(Ct);
                db.CheckResults.Add(new StoredCheckResult
                {
                    RunId = old.Id, SendingIpId = id, Check = "blocklist:bl.spamcop.net", Target = "192.0.2.10", Status = status,
                    Summary = "seeded", Details = "{}", CheckedAt = old.FinishedAt!.Value,
                });
                await db.SaveChangesAsync(Ct);
            }
        }

        await CheckNowAsync(app.Healthy, id);

        await using var read = Db();
        var change = await read.CheckChanges.SingleAsync(c => c.SendingIpId == id, Ct);
        Assert.Equal((CheckStatus.Fail, CheckStatus.Pass), (change.FromStatus, change.ToStatus));
        Assert.StartsWith("delisted: ", change.Summary, StringComparison.Ordinal);
    }
}
