using Deliverability.Core.Checks;
using Deliverability.Core.Data;
using Deliverability.Core.Ips;
using Deliverability.Core.Logs;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Remediation;

/// <summary>
/// A chunk of a full re-diagnosis reads the evidence of many IPs with one query per kind: each IP must still get exactly the
/// diagnosis it gets alone, with nothing of its neighbours' evidence. A database of its own.
/// </summary>
public sealed class DiagnosisTogetherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DiagnosisSeed.Now;
    private readonly DiagnosisDatabase _fixture = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DeliverabilityDbContext Db() => _fixture.Database.CreateDbContext();

    public async ValueTask InitializeAsync() => await _fixture.InitializeAsync();

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task DiagnoseManyAsync_GivesEachIpTheDiagnosisItGetsAlone()
    {
        var blocked = await NewIpAsync();
        await blocked.BouncesAsync(3, Now.AddHours(-20), "outlook.com", "S3150");
        await blocked.BouncesAsync(5, Now.AddDays(-2), null, null, "userunknown");
        var complained = await NewIpAsync();
        await complained.ComplaintsAsync(6, Now.AddDays(-2));
        await complained.SndsDayAsync(DateOnly.FromDateTime(Now.AddDays(-1).UtcDateTime), "RED", 0.2m, trapHits: 3);
        var throttled = await NewIpAsync();
        await throttled.LogHourAsync(Now.AddDays(-60), attempts: 5000, sent: 5000, logHost: "mx-throttled");
        for (var d = 1; d <= 5; d++)
        {
            await throttled.LogLinesAsync(40, Now.AddDays(-d), DeliveryStatus.Sent, "outlook.com", logHost: "mx-throttled");
            await throttled.LogLinesAsync(10, Now.AddDays(-d).AddMinutes(30), DeliveryStatus.Deferred, "outlook.com", "RP-001", "speeding", "4.7.0", logHost: "mx-throttled");
        }

        var compromised = await NewIpAsync();
        await compromised.LogHourAsync(Now.AddDays(-2), attempts: 10, sent: 10, logHost: "mx-spike");
        for (var h = 10; h < 20; h++) await compromised.LoginsAsync("bob", Now.AddDays(-3).AddHours(h), 3, "mx-spike");
        await compromised.LoginsAsync("bob", Now.AddDays(-1), 400, "mx-spike");
        var listed = await NewIpAsync();
        await listed.CheckRunAsync(Now.AddHours(-2),
            ("blocklist:bl.spamcop.net", "", CheckStatus.Fail, "Listed on SpamCop."),
            ("senderscore", "", CheckStatus.Warn, "Sender Score 72/100."));
        var quiet = await NewIpAsync();
        var ips = new[] { blocked, complained, throttled, compromised, listed, quiet };
        var ids = ips.Select(i => i.SendingIpId).ToArray();

        await DiagnosisSeed.RunTogetherAsync(Db, [.. ids, ids.Max() + 1000]); // and one IP that no longer exists
        var together = await SnapshotAsync(ids);
        await using (var db = Db())
        {
            await db.RemediationItems.Where(i => ids.Contains(i.SendingIpId)).ExecuteDeleteAsync(Ct);
            await db.IpStatus.Where(s => ids.Contains(s.SendingIpId)).ExecuteDeleteAsync(Ct);
        }

        foreach (var ip in ips) await ip.RunAsync();
        var alone = await SnapshotAsync(ids);

        Assert.Equal(alone, together);
        Assert.Equal(IpHealth.Blocked, together[blocked.SendingIpId].Health);
        Assert.Contains("spam-complaints", together[complained.SendingIpId].Items);
        Assert.Contains("rate-limits", together[throttled.SendingIpId].Items);
        Assert.Contains("compromised-host", together[compromised.SendingIpId].Items);
        // Nothing crossed over: each cause stays with the IP whose evidence shows it.
        Assert.Single(together.Values, s => s.Items.Contains("spam-complaints", StringComparison.Ordinal));
        Assert.Single(together.Values, s => s.Items.Contains("rate-limits", StringComparison.Ordinal));
        Assert.Single(together.Values, s => s.Items.Contains("compromised-host", StringComparison.Ordinal));
        Assert.Single(together.Values, s => s.Health == IpHealth.Blocked);
        Assert.Equal((IpHealth.Listed, 72), (together[listed.SendingIpId].Health, together[listed.SendingIpId].SenderScore));
        Assert.Single(together.Values, s => s.SenderScore is not null);
        Assert.Equal((IpHealth.NoData, ""), (together[quiet.SendingIpId].Health, together[quiet.SendingIpId].Items));
    }

    private Task<DiagnosisSeed> NewIpAsync() => DiagnosisSeed.CreateAsync(Db, _fixture.NextAddress());

    private sealed record Diagnosis(IpHealth Health, string Verdict, string? NextStep, int Bounces24h, int Bounces7d, int OpenItems, int? SenderScore, string Items);

    private async Task<Dictionary<long, Diagnosis>> SnapshotAsync(long[] ids)
    {
        await using var db = Db();
        var items = (await db.RemediationItems.AsNoTracking().Where(i => ids.Contains(i.SendingIpId)).ToListAsync(Ct))
            .ToLookup(i => i.SendingIpId, i => $"{i.Key}:{i.Done}:{string.Join("|", i.Evidence.Select(e => e.Text))}");
        return await db.IpStatus.AsNoTracking().Where(s => ids.Contains(s.SendingIpId)).ToDictionaryAsync(s => s.SendingIpId,
            s => new Diagnosis(s.Health, s.Verdict, s.NextStep, s.Bounces24h, s.Bounces7d, s.OpenItems, s.SenderScore, string.Join("\n", items[s.SendingIpId].Order(StringComparer.Ordinal))), Ct);
    }
}
