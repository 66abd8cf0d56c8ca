using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Remediation;

/// <summary>One migrated database for the class; every test seeds its own sending IP.</summary>
public sealed class DiagnosisDatabase : IAsyncLifetime
{
    private int _next;

    public TestDatabase Database { get; private set; } = default!;

    public string NextAddress() => $"198.51.100.{Interlocked.Increment(ref _next)}";

    public async ValueTask InitializeAsync() => Database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();
}

public class IpDiagnosisJobTests(DiagnosisDatabase fixture) : IClassFixture<DiagnosisDatabase>
{
    private static readonly DateTimeOffset Now = DiagnosisSeed.Now;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DeliverabilityDbContext Db() => fixture.Database.CreateDbContext();

    private Task<DiagnosisSeed> NewIpAsync() => DiagnosisSeed.CreateAsync(Db, fixture.NextAddress());

    private async Task<List<RemediationItem>> ItemsAsync(DiagnosisSeed ip)
    {
        await using var db = Db();
        return await db.RemediationItems.AsNoTracking().Where(i => i.SendingIpId == ip.SendingIpId).OrderBy(i => i.Position).ThenBy(i => i.Key).ToListAsync(Ct);
    }

    private async Task<IpStatusSnapshot> StatusAsync(DiagnosisSeed ip)
    {
        await using var db = Db();
        return await db.IpStatus.AsNoTracking().SingleAsync(s => s.SendingIpId == ip.SendingIpId, Ct);
    }

    private async Task<RemediationItem> ItemAsync(DiagnosisSeed ip, string key) => Assert.Single(await ItemsAsync(ip), i => i.Key == key);

    [Fact]
    public async Task RunAsync_WhenComplaintsArrive_RaisesSpamComplaints()
    {
        var ip = await NewIpAsync();
        await ip.ComplaintsAsync(6, Now.AddDays(-2));

        await ip.RunAsync();

        var item = await ItemAsync(ip, "spam-complaints");
        Assert.Equal(RemediationCause.SpamComplaints, item.Cause);
        Assert.Equal(RemediationVerification.Manual, item.Verification);
        Assert.Contains(item.Evidence, e => e.Text.StartsWith("6 spam complaints", StringComparison.Ordinal) && e.Href == $"/uploads/{ip.BatchId}");
    }

    [Fact]
    public async Task RunAsync_WhenSndsShowsRedDaysAndTrapHits_RaisesSpamComplaints()
    {
        var ip = await NewIpAsync();
        await ip.SndsDayAsync(DateOnly.FromDateTime(Now.AddDays(-3).UtcDateTime), "RED", 0.005m, trapHits: 2);

        await ip.RunAsync();

        var item = await ItemAsync(ip, "spam-complaints");
        Assert.Contains(item.Evidence, e => e.Text.Contains("RED or YELLOW", StringComparison.Ordinal));
        Assert.Contains(item.Evidence, e => e.Text.Contains("2 spam trap hits", StringComparison.Ordinal));
        Assert.Contains(item.Evidence, e => e.Text.Contains("above 0.3 %", StringComparison.Ordinal) && e.Href == $"/ips/{ip.SendingIpId}#activity");
    }

    [Fact]
    public async Task RunAsync_WhenAYoungIpIsThrottled_RaisesWarmUp()
    {
        var ip = await NewIpAsync();
        await ip.BouncesAsync(3, Now.AddDays(-5), "outlook.com", "4.7.650", "badreputation", hard: false, kind: BounceKind.Delay);

        await ip.RunAsync();

        var item = await ItemAsync(ip, "new-ip");
        Assert.Equal(RemediationCause.NewIpWithoutHistory, item.Cause);
        Assert.Contains(item.Evidence, e => e.Text.Contains("4.7.650", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhenContentIsRefused_RaisesSpamContent()
    {
        var ip = await NewIpAsync();
        await ip.BouncesAsync(2, Now.AddDays(-1), "outlook.com", "SC-001");
        await ip.BouncesAsync(1, Now.AddDays(-1), null, null, "spamdetected");

        await ip.RunAsync();

        var item = await ItemAsync(ip, "spam-content");
        Assert.Contains(item.Evidence, e => e.Text.Contains("SC-001", StringComparison.Ordinal));
        Assert.Contains(item.Evidence, e => e.Text.Contains("spamdetected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhenMoreThanTenPercentOfLoggedMessagesFailForTheRecipient_RaisesHighBounceRate()
    {
        var ip = await NewIpAsync();
        await ip.LogLinesAsync(850, Now.AddDays(-2), Deliverability.Core.Logs.DeliveryStatus.Sent);
        await ip.LogLinesAsync(150, Now.AddDays(-2).AddHours(1), Deliverability.Core.Logs.DeliveryStatus.Bounced, "gmail", reason: "mailboxfull", enhanced: "5.2.2");

        await ip.RunAsync();

        var item = await ItemAsync(ip, "high-bounce-rate");
        Assert.StartsWith("150 of 1000 messages in the last 3 days refused", item.Evidence[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenLoggedRefusalsArePolicyBlocks_RaisesTheBlockNotTheBounceRate()
    {
        var ip = await NewIpAsync();
        await ip.LogLinesAsync(300, Now.AddDays(-2), Deliverability.Core.Logs.DeliveryStatus.Sent);
        await ip.LogLinesAsync(36, Now.AddHours(-6), Deliverability.Core.Logs.DeliveryStatus.Bounced, "outlook.com", "S3150", "blocked", "5.7.1",
            reply: "550 5.7.1 Unfortunately, messages from [198.51.100.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).");

        await ip.RunAsync();

        var keys = (await ItemsAsync(ip)).Select(i => i.Key).ToList();
        Assert.Contains("provider-block:outlook.com", keys);
        Assert.DoesNotContain("high-bounce-rate", keys);
        Assert.DoesNotContain("unknown-users", keys);
        var status = await StatusAsync(ip);
        Assert.Equal(IpHealth.Blocked, status.Health);
        Assert.Equal(Now.AddHours(-6), status.BlockedSince);
        Assert.Equal(36, status.Bounces24h); // logged refusals count like bounce reports
    }

    [Fact]
    public async Task RunAsync_WhenADayTriplesTheWeeksAverage_RaisesVolumeChange()
    {
        var ip = await NewIpAsync();
        for (var d = 2; d <= 8; d++) await ip.LogHourAsync(Now.AddDays(-d), attempts: 200, sent: 200);
        await ip.LogHourAsync(Now.AddDays(-1), attempts: 2000, sent: 2000);

        await ip.RunAsync();

        var item = await ItemAsync(ip, "volume-change");
        Assert.Contains("2000 attempts", item.Evidence[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenAuthenticationChecksFail_RaisesOneCheckVerifiedItemEach()
    {
        var ip = await NewIpAsync();
        await ip.CheckRunAsync(Now.AddHours(-1),
            ("spf", "example.com", CheckStatus.Fail, "No SPF record."),
            ("dkim", "s1._domainkey.example.com", CheckStatus.Fail, "No key."),
            ("dmarc", "example.com", CheckStatus.Fail, "No DMARC record."),
            ("fcrdns", "198.51.100.1", CheckStatus.Fail, "Does not resolve back."));

        await ip.RunAsync();

        var items = await ItemsAsync(ip);
        Assert.Equal(["ptr", "spf", "dkim", "dmarc"], items.Select(i => i.Key));
        Assert.All(items, i => Assert.Equal(RemediationVerification.Check, i.Verification));
        Assert.All(items, i => Assert.False(i.Done));
        Assert.All(items, i => Assert.Contains(i.Evidence, e => e.Href == $"/ips/{ip.SendingIpId}#checks"));
        var status = await StatusAsync(ip);
        Assert.Equal(IpHealth.AuthenticationProblems, status.Health);
        Assert.Equal(4, status.AuthFailures);
    }

    [Fact]
    public async Task RunAsync_WhenUnknownUsersAndNamespaceMining_RaisesUnknownUsers()
    {
        var ip = await NewIpAsync();
        await ip.BouncesAsync(25, Now.AddDays(-3), null, null, "userunknown");
        await ip.BouncesAsync(1, Now.AddDays(-3), "outlook.com", "SC-002");

        await ip.RunAsync();

        var item = await ItemAsync(ip, "unknown-users");
        Assert.Contains(item.Evidence, e => e.Text.StartsWith("25 bounces for unknown users", StringComparison.Ordinal));
        Assert.Contains(item.Evidence, e => e.Text.Contains("SC-002", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhenDynamicIpSigns_RaisesDynamicIp()
    {
        var ip = await NewIpAsync();
        await ip.BouncesAsync(1, Now.AddDays(-1), "outlook.com", "DY-001");
        await ip.CheckRunWithDetailsAsync(Now.AddHours(-1), ("ptr", "198.51.100.9", CheckStatus.Warn, "PTR 9-100-51-198.dyn.example.net looks generic/dynamic (digits).",
            """{"query": "9.100.51.198.in-addr.arpa", "names": ["9-100-51-198.dyn.example.net"], "generic": [{"name": "9-100-51-198.dyn.example.net", "reasons": ["embeds the address"]}]}"""));

        await ip.RunAsync();

        var item = await ItemAsync(ip, "dynamic-ip");
        Assert.Equal(2, item.Evidence.Count);
    }

    [Fact]
    public async Task RunAsync_WhenLoginsSpike_RaisesCompromisedHost()
    {
        var ip = await NewIpAsync();
        await ip.LogHourAsync(Now.AddDays(-2), attempts: 10, sent: 10, logHost: "mx-spike");
        for (var h = 10; h < 20; h++) await ip.LoginsAsync("bob", Now.AddDays(-3).AddHours(h), 3, "mx-spike");
        await ip.LoginsAsync("bob", Now.AddDays(-1), 400, "mx-spike");

        await ip.RunAsync();

        var item = await ItemAsync(ip, "compromised-host");
        Assert.Contains("400 logins by bob", item.Evidence.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenProviderThrottles_RaisesRateLimits()
    {
        var ip = await NewIpAsync();
        await ip.LogHourAsync(Now.AddDays(-60), attempts: 5000, sent: 5000);
        for (var d = 1; d <= 20; d++)
        {
            await ip.LogLinesAsync(90, Now.AddDays(-d), Deliverability.Core.Logs.DeliveryStatus.Sent, "outlook.com");
            await ip.LogLinesAsync(10, Now.AddDays(-d).AddMinutes(30), Deliverability.Core.Logs.DeliveryStatus.Deferred, "outlook.com", "RP-001", "speeding", "4.7.0");
        }

        await ip.RunAsync();

        var item = await ItemAsync(ip, "rate-limits");
        Assert.Contains(item.Evidence, e => e.Text.StartsWith("200 logged replies with RP-001", StringComparison.Ordinal) && e.Href == $"/ips/{ip.SendingIpId}#activity");
        Assert.DoesNotContain(await ItemsAsync(ip), i => i.Key == "new-ip");
    }

    [Fact]
    public async Task RunAsync_WhenListedOnABlocklist_RaisesItemWithRemovalLinkAndStatusListed()
    {
        var ip = await NewIpAsync();
        await ip.CheckRunAsync(Now.AddHours(-1),
            ("blocklist:bl.spamcop.net", "198.51.100.1", CheckStatus.Fail, "Listed on SpamCop."),
            ("blocklist:zen.spamhaus.org", "198.51.100.1", CheckStatus.Pass, "Not listed on Spamhaus ZEN."),
            ("senderscore", "198.51.100.1", CheckStatus.Warn, "Sender Score 72/100."));

        await ip.RunAsync();

        var item = await ItemAsync(ip, "blocklist:bl.spamcop.net");
        Assert.Equal(RemediationVerification.Check, item.Verification);
        Assert.Contains(item.Evidence, e => e.Href == "https://www.spamcop.net/bl.shtml");
        var status = await StatusAsync(ip);
        Assert.Equal(IpHealth.Listed, status.Health);
        Assert.Equal(1, status.ListedOn);
        Assert.Equal(72, status.SenderScore);
        Assert.Equal(Now.AddHours(-1), status.LastCheckedAt);
        Assert.Equal("Listed on SpamCop.", status.Verdict);
    }

    [Fact]
    public async Task RunAsync_WhenRunTwice_KeepsTheSameItemsAndTimestamps()
    {
        var ip = await NewIpAsync();
        await ip.BouncesAsync(3, Now.AddDays(-1), "outlook.com", "S3150");
        await ip.ComplaintsAsync(6, Now.AddDays(-2));
        await ip.CheckRunAsync(Now.AddHours(-1), ("spf", "example.com", CheckStatus.Fail, "No SPF record."));

        await ip.RunAsync();
        var first = await ItemsAsync(ip);
        await ip.RunAsync(Now.AddMinutes(5));
        var second = await ItemsAsync(ip);

        Assert.NotEmpty(first);
        Assert.Equal(first.Select(i => (i.Id, i.Key, i.UpdatedAt, i.RaisedAt, i.Done)), second.Select(i => (i.Id, i.Key, i.UpdatedAt, i.RaisedAt, i.Done)));
        Assert.Equal(first.Select(i => i.Evidence.Count), second.Select(i => i.Evidence.Count));
    }

    [Fact]
    public async Task RunAsync_WhenAManualItemWasTicked_KeepsTheTickAndMarksItNoLongerSeen()
    {
        var ip = await NewIpAsync();
        await ip.ComplaintsAsync(6, Now.AddDays(-2));
        await ip.RunAsync();
        await using (var db = Db())
        {
            var item = await db.RemediationItems.SingleAsync(i => i.SendingIpId == ip.SendingIpId && i.Key == "spam-complaints", Ct);
            item.Done = true;
            item.DoneBy = "operator@example.com";
            item.DoneAt = Now.AddHours(1);
            await db.SaveChangesAsync(Ct);
        }

        // 40 days later the complaints are out of the window: the cause is gone, the tick stays.
        await ip.RunAsync(Now.AddDays(40));

        var kept = await ItemAsync(ip, "spam-complaints");
        Assert.True(kept.Done);
        Assert.Equal("operator@example.com", kept.DoneBy);
        Assert.Equal(Now.AddHours(1), kept.DoneAt);
        Assert.False(kept.StillEvident);
    }

    [Fact]
    public async Task RunAsync_WhenTheCheckPassesThenFailsAgain_TicksAndUnticksTheItem()
    {
        var ip = await NewIpAsync();
        await ip.CheckRunAsync(Now.AddHours(-3), ("spf", "example.com", CheckStatus.Fail, "No SPF record."));
        await ip.RunAsync();
        Assert.False((await ItemAsync(ip, "spf")).Done);

        await ip.CheckRunAsync(Now.AddHours(-2), ("spf", "example.com", CheckStatus.Pass, "SPF passes."));
        await ip.RunAsync();
        var ticked = await ItemAsync(ip, "spf");
        Assert.True(ticked.Done);
        Assert.Null(ticked.DoneBy);
        Assert.Equal(Now.AddHours(-2), ticked.DoneAt);
        Assert.False(ticked.StillEvident);

        await ip.CheckRunAsync(Now.AddHours(-1), ("spf", "example.com", CheckStatus.Fail, "SPF record removed."));
        await ip.RunAsync();
        var unticked = await ItemAsync(ip, "spf");
        Assert.False(unticked.Done);
        Assert.Null(unticked.DoneAt);
        Assert.True(unticked.StillEvident);
        Assert.Equal(ticked.Id, unticked.Id);
    }

    [Fact]
    public async Task RunAsync_WhenOutlookBlocks_WritesBlockedWithSinceAndVerdict()
    {
        var ip = await NewIpAsync();
        await ip.BouncesAsync(2, new DateTimeOffset(2026, 11, 27, 14, 2, 0, TimeSpan.Zero), "outlook.com", "S3150");
        await ip.BouncesAsync(1, Now.AddHours(-1), "outlook.com", "S3150");
        await ip.BouncesAsync(4, Now.AddHours(-30), null, null, "userunknown");

        await ip.RunAsync();

        var status = await StatusAsync(ip);
        Assert.Equal(IpHealth.Blocked, status.Health);
        Assert.Equal("outlook.com", status.BlockedBy);
        Assert.Equal("S3150", status.BlockCode);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 14, 2, 0, TimeSpan.Zero), status.BlockedSince);
        Assert.StartsWith("Blocked by Outlook.com since 27 Nov 14:02 UTC (S3150): the IP (or its range) is on Outlook.com's own block list.", status.Verdict, StringComparison.Ordinal);
        // The block itself is a cause to work on before asking for delisting.
        Assert.Equal("Fix the open checklist item, then open an Outlook.com delisting case.", status.NextStep);
        Assert.Equal("provider-block:outlook.com", Assert.Single(await ItemsAsync(ip)).Key);
        Assert.Equal(3, status.Bounces24h);
        Assert.Equal(7, status.Bounces7d);
        Assert.Equal(Now.AddHours(-1), status.LastBounceAt);
        Assert.Equal(1, status.OpenItems);
        Assert.Equal(4 / 7.0, status.HardBounceRate!.Value, 3); // only the unknown users are recipient failures, not the S3150 blocks
    }

    [Fact]
    public async Task RunAsync_WhenAnUnblockedCaseIsNewerThanTheBlock_IsNotBlockedUntilANewBlockBounce()
    {
        var ip = await NewIpAsync();
        await ip.BouncesAsync(1, Now.AddDays(-3), "outlook.com", "S3150");
        await using (var db = Db())
        {
            db.DelistingCases.Add(new DelistingCase
            {
                SendingIpId = ip.SendingIpId, Target = "outlook.com", State = DelistingCaseState.Resolved, Outcome = DelistingOutcome.Unblocked,
                OpenedAt = Now.AddDays(-3), OpenedBy = "operator@example.com", ResolvedAt = Now.AddDays(-2),
            });
            await db.SaveChangesAsync(Ct);
        }

        await ip.RunAsync();
        var cleared = await StatusAsync(ip);
        Assert.Equal(IpHealth.SeenInBounces, cleared.Health); // no check and no log says it is healthy
        Assert.Equal(IpVerdict.Seen(1, 0), cleared.Verdict);
        Assert.Null(cleared.BlockedSince);

        await ip.BouncesAsync(1, Now.AddHours(-2), "outlook.com", "S3150");
        await ip.RunAsync();
        var blocked = await StatusAsync(ip);
        Assert.Equal(IpHealth.Blocked, blocked.Health);
        Assert.Equal(Now.AddHours(-2), blocked.BlockedSince);

        // The new block reopens the case that ended "unblocked", and the IP counts it as open again.
        await using var check = Db();
        var reopened = await check.DelistingCases.SingleAsync(c => c.SendingIpId == ip.SendingIpId, Ct);
        Assert.Equal(DelistingCaseState.Open, reopened.State);
        Assert.Equal(1, reopened.ReopenCount);
        Assert.Equal(1, (await StatusAsync(ip)).OpenCases);
    }

    [Fact]
    public async Task RunAsync_WhenMicrosoftBlockLogLines_IsBlocked()
    {
        var ip = await NewIpAsync();
        await ip.LogLinesAsync(10, Now.AddHours(-5), Deliverability.Core.Logs.DeliveryStatus.Bounced, "outlook.com", "S3140", "blocked", "5.7.1");

        await ip.RunAsync();

        var status = await StatusAsync(ip);
        Assert.Equal(IpHealth.Blocked, status.Health);
        Assert.Equal("S3140", status.BlockCode);
    }

    [Fact]
    public async Task RunAsync_WhenOnlyPassingChecks_IsHealthy()
    {
        var ip = await NewIpAsync();
        await ip.CheckRunAsync(Now.AddHours(-1), ("spf", "example.com", CheckStatus.Pass, "SPF passes."));

        await ip.RunAsync();

        var status = await StatusAsync(ip);
        Assert.Equal(IpHealth.Healthy, status.Health);
        Assert.Equal("No provider blocks this IP and no check fails.", status.Verdict);
        Assert.Empty(await ItemsAsync(ip));
    }

    [Fact]
    public async Task RunAsync_WithoutAnyEvidence_WritesNoData()
    {
        var ip = await NewIpAsync();

        await ip.RunAsync();

        var status = await StatusAsync(ip);
        Assert.Equal(IpHealth.NoData, status.Health);
        Assert.Equal((0, 0, null, 0), (status.Bounces7d, status.OpenItems, status.HardBounceRate, status.OpenCases));
        Assert.Equal(Now, status.ComputedAt);
    }
}
