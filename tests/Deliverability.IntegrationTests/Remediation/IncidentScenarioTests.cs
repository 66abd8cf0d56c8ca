using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.IntegrationTests.Ingestion;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Remediation;

/// <summary>
/// Incidents as an operator hands them over (a Postfix log and the DSNs that came back), through `deliverability ingest`
/// into PostgreSQL; each asserts ip_status and remediation_items as an experienced mail operator would conclude.
/// The CLI runs on the real clock, so the incidents are placed relative to now.
/// </summary>
public class IncidentScenarioTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Whole seconds, so log and DSN times compare exactly.
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private sealed record Outcome(IpStatusSnapshot Status, List<RemediationItem> Items)
    {
        public List<string> Keys => Items.Select(i => i.Key).ToList();
    }

    private static async Task<Outcome> IngestAsync(Incident incident)
    {
        await using var database = await TestDatabase.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("deliverability-incident-");
        try
        {
            incident.WriteTo(dir.FullName);
            var (exit, output) = await IngestCliTests.RunCliAsync(database, "ingest", dir.FullName, "--ip", Incident.Ip);
            Assert.True(exit == 0, output);
            await using var db = database.CreateDbContext();
            var ip = await db.SendingIps.SingleAsync(x => x.Address == System.Net.IPAddress.Parse(Incident.Ip), Ct);
            var status = await db.IpStatus.AsNoTracking().SingleAsync(s => s.SendingIpId == ip.Id, Ct);
            var items = await db.RemediationItems.AsNoTracking().Where(i => i.SendingIpId == ip.Id).OrderBy(i => i.Position).ToListAsync(Ct);
            return new Outcome(status, items);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Ordinary traffic: every <paramref name="everyMinutes"/> one message to Gmail, Outlook.com and elsewhere each, from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static void Traffic(Incident incident, DateTimeOffset from, DateTimeOffset to, int everyMinutes, string? user = null)
    {
        var n = 0;
        for (var at = from; at < to; at = at.AddMinutes(everyMinutes))
        {
            incident.Sent(at, $"reader{n++ % 500}@gmail.com", user);
            incident.Sent(at.AddSeconds(5), $"reader{n++ % 500}@outlook.com", user);
            incident.Sent(at.AddSeconds(10), $"reader{n++ % 500}@example.net", user);
        }
    }

    [Fact]
    public async Task HijackedAccount_LoginSpikeThenS3150_IsBlockedSinceTheFirstLoggedRefusalWithTheCompromisedAccountAsCause()
    {
        var incident = new Incident();
        var firstBlock = Now.AddHours(-10);
        Traffic(incident, Now.AddDays(-5), firstBlock.AddHours(-2), 120, "alice");
        // bob logs in a few times a day, then 150 times in one hour: a stolen password sending spam.
        for (var at = Now.AddDays(-5); at < firstBlock.AddHours(-2); at = at.AddHours(6)) incident.Sent(at.AddMinutes(3), "friend@example.net", "bob");
        for (var i = 0; i < 150; i++) incident.Sent(firstBlock.AddHours(-1).AddSeconds(i * 20), $"target{i}@outlook.com", "bob");
        var refused = new List<string>();
        for (var i = 0; i < 36; i++) refused.Add(incident.Refused(firstBlock.AddMinutes(i * 5), $"target{200 + i}@outlook.com", "5.7.1", Incident.S3150, "bob"));
        // The DSN of a later refusal: queued an hour before Outlook.com refused it, after throttling.
        incident.Dsn(firstBlock.AddMinutes(100).AddSeconds(2), firstBlock.AddMinutes(40), "target220@outlook.com", "5.7.1", Incident.S3150, refused[20]);

        var outcome = await IngestAsync(incident);

        Assert.Equal(IpHealth.Blocked, outcome.Status.Health);
        Assert.Equal("outlook.com", outcome.Status.BlockedBy);
        Assert.Equal(firstBlock.AddSeconds(1), outcome.Status.BlockedSince);
        Assert.Equal(36, outcome.Status.Bounces24h); // the DSN is one of the 36 logged refusals, not a 37th
        Assert.Contains("compromised-host", outcome.Keys);
        Assert.Contains("provider-block:outlook.com", outcome.Keys);
        Assert.DoesNotContain("high-bounce-rate", outcome.Keys);
        Assert.DoesNotContain("unknown-users", outcome.Keys);
    }

    [Fact]
    public async Task UnknownUsers_AThreeDayBurstInTheLog_RaisesUnknownUsersAndNoBlock()
    {
        var incident = new Incident();
        Traffic(incident, Now.AddDays(-40), Now.AddDays(-3), 180);
        for (var i = 0; i < 300; i++)
        {
            var at = Now.AddDays(-3).AddMinutes(i * 13);
            if (i % 5 == 0)
            {
                incident.Refused(at, $"old{i}@gmail.com", "5.1.1",
                    "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser a1si - gsmtp");
            }
            else
            {
                incident.Sent(at, $"list{i}@gmail.com");
            }
        }

        var outcome = await IngestAsync(incident);

        Assert.Contains("unknown-users", outcome.Keys);
        Assert.Equal(IpHealth.AtRisk, outcome.Status.Health);
        Assert.DoesNotContain(outcome.Keys, k => k.StartsWith("provider-block:", StringComparison.Ordinal));
        Assert.Null(outcome.Status.BlockedBy);
    }

    [Fact]
    public async Task ThrottlingOnly_AnEstablishedIpDeferredWith4_7_650_IsThrottledNotBlockedAndNotANewIp()
    {
        var incident = new Incident();
        Traffic(incident, Now.AddDays(-40), Now.AddDays(-2), 90);
        for (var i = 0; i < 30; i++)
        {
            incident.Message(Now.AddDays(-2).AddMinutes(i * 30), $"busy{i}@outlook.com", null,
                (TimeSpan.FromSeconds(1), "deferred", "4.7.650", "451 4.7.650 The mail server [203.0.113.9] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)"),
                (TimeSpan.FromHours(1), "sent", "2.0.0", "250 2.6.0 <x@example.com> [InternalId=1] Queued mail for delivery"));
        }

        var outcome = await IngestAsync(incident);

        Assert.Equal(IpHealth.AtRisk, outcome.Status.Health);
        Assert.StartsWith("Throttled by Outlook.com", outcome.Status.Verdict, StringComparison.Ordinal);
        Assert.Contains("rate-limits", outcome.Keys);
        Assert.DoesNotContain("new-ip", outcome.Keys);
        Assert.DoesNotContain("high-bounce-rate", outcome.Keys);
    }

    [Fact]
    public async Task NewIp_ThrottledInItsFirstDays_NeedsAWarmUpAndIsNotHealthy()
    {
        var incident = new Incident();
        Traffic(incident, Now.AddDays(-4), Now.AddHours(-6), 240);
        for (var i = 0; i < 10; i++)
        {
            incident.Message(Now.AddHours(-20).AddMinutes(i * 40), $"new{i}@outlook.com", null,
                (TimeSpan.FromSeconds(1), "deferred", "4.7.650", "451 4.7.650 The mail server [203.0.113.9] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)"));
        }

        var outcome = await IngestAsync(incident);

        Assert.Equal(IpHealth.AtRisk, outcome.Status.Health);
        Assert.Contains("new-ip", outcome.Keys);
    }

    [Fact]
    public async Task SpamhausListingSeenOnlyInBounces_IsListedWithTheRemovalRouteBeforeAnyCheck()
    {
        var incident = new Incident();
        for (var i = 0; i < 3; i++)
        {
            var at = Now.AddHours(-6 + i);
            incident.Dsn(at, at.AddSeconds(-4), $"buyer{i}@example.org", "5.7.1",
                "554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.9");
        }

        var outcome = await IngestAsync(incident);

        Assert.Equal(IpHealth.Listed, outcome.Status.Health);
        var item = Assert.Single(outcome.Items, i => i.Key == "blocklist:zen.spamhaus.org");
        Assert.Contains(item.Evidence, e => e.Href == "https://check.spamhaus.org/");
        Assert.DoesNotContain("high-bounce-rate", outcome.Keys);
        Assert.Equal(3, outcome.Status.Bounces24h);
    }

    [Fact]
    public async Task Healthy_FortyDaysOfCleanDeliveries_IsHealthyWithNothingToDo()
    {
        var incident = new Incident();
        Traffic(incident, Now.AddDays(-40), Now.AddHours(-1), 240);

        var outcome = await IngestAsync(incident);

        Assert.Equal(IpHealth.Healthy, outcome.Status.Health);
        Assert.Empty(outcome.Items);
        Assert.DoesNotContain("Upload", outcome.Status.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DynamicIp_OutlookRefusesADynamicRange_RaisesTheDynamicIpCause()
    {
        var incident = new Incident();
        Traffic(incident, Now.AddDays(-10), Now.AddDays(-1), 240);
        for (var i = 0; i < 8; i++)
        {
            incident.Refused(Now.AddHours(-8).AddMinutes(i * 10), $"home{i}@hotmail.com", "5.7.1",
                "550 5.7.1 Unfortunately, messages from [203.0.113.9] weren't sent. Please contact your Internet service provider. You can tell them that Hotmail does not relay dynamically-assigned IP ranges. You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. (DY-001)");
        }

        var outcome = await IngestAsync(incident);

        Assert.Contains("dynamic-ip", outcome.Keys);
        Assert.DoesNotContain("high-bounce-rate", outcome.Keys);
        Assert.Equal(IpHealth.Blocked, outcome.Status.Health);
    }

    [Fact]
    public async Task SpamContent_RefusedAsSpamByContentFilters_RaisesSpamContentNotTheBounceRate()
    {
        var incident = new Incident();
        Traffic(incident, Now.AddDays(-10), Now.AddDays(-1), 240);
        for (var i = 0; i < 25; i++)
        {
            incident.Refused(Now.AddHours(-12).AddMinutes(i * 10), $"client{i}@example.org", "5.7.1",
                "550 5.7.1 Message rejected as spam by Content Filtering.");
        }

        var outcome = await IngestAsync(incident);

        Assert.Contains("spam-content", outcome.Keys);
        Assert.DoesNotContain("high-bounce-rate", outcome.Keys);
        Assert.DoesNotContain("unknown-users", outcome.Keys);
        Assert.NotEqual(IpHealth.Healthy, outcome.Status.Health);
    }

    [Fact]
    public async Task Demo_TheNewIpBeingThrottled_IsNotHealthy()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (exit, output) = await IngestCliTests.RunCliAsync(database, "seed-demo");
        Assert.True(exit == 0, output);

        await using var db = database.CreateDbContext();
        var statuses = await db.IpStatus.AsNoTracking().Include(s => s.SendingIp).ToListAsync(Ct);
        var warming = statuses.Single(s => s.SendingIp!.Address.Equals(Core.Demo.DemoSeeder.WarmingIp));
        Assert.Equal(IpHealth.AtRisk, warming.Health);
        Assert.StartsWith("Throttled by Outlook.com", warming.Verdict, StringComparison.Ordinal);
        Assert.Equal(IpHealth.Healthy, statuses.Single(s => s.SendingIp!.Address.Equals(Core.Demo.DemoSeeder.HealthyIp)).Health);
    }

    [Fact]
    public async Task BlockFromADsnAlone_StartsWhenOutlookRefused_NotWhenTheMessageWasQueuedAnHourEarlier()
    {
        var incident = new Incident();
        var refusedAt = Now.AddHours(-5);
        incident.Dsn(refusedAt, refusedAt.AddHours(-1), "someone@outlook.com", "5.7.1", Incident.S3150);

        var outcome = await IngestAsync(incident);

        Assert.Equal(IpHealth.Blocked, outcome.Status.Health);
        Assert.Equal(refusedAt, outcome.Status.BlockedSince);
    }
}
