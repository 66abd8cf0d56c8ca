using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Ips;
using Deliverability.Core.Providers;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

/// <summary>
/// The IP page's header and the data it hands to its sections: the address, the diagnosis's status (or a verdict from the
/// codes before the first diagnosis), the codes table, the timeline and the latest check run (read once, shown by three sections).
/// </summary>
public sealed class IpOverview(IDbContextFactory<DeliverabilityDbContext> dbFactory, IpCodeTable codeTable, TimeProvider clock)
{
    /// <summary>Serialisable, so the page hands its prerendered copy to the live circuit instead of reading it again.</summary>
    public sealed record View(long SendingIpId, string Address, string? Label, IpStatusSnapshot Status, IReadOnlyList<IpCodeRow> Codes, IpTimelineData Timeline,
        LatestChecks Checks, DateTimeOffset Now);

    /// <summary>Null when there is no such IP.</summary>
    public async Task<View?> LoadAsync(long sendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ip = await db.SendingIps.AsNoTracking().Where(x => x.Id == sendingIpId).Select(x => new { x.Address, x.Label }).SingleOrDefaultAsync(ct);
        if (ip is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var status = await db.IpStatus.AsNoTracking().SingleOrDefaultAsync(s => s.SendingIpId == sendingIpId, ct);
        var codes = await codeTable.ReadAsync(db, sendingIpId, status?.ComputedAt, now, ct);
        status ??= new IpStatusSnapshot { SendingIpId = sendingIpId, Health = IpHealth.NoData, Verdict = FallbackVerdict(codes) };
        var timeline = await IpTimelineData.LoadAsync(db, sendingIpId, status.BlockedSince, now, ct);
        var checks = await LatestCheckResults.LoadAsync(db, sendingIpId, ct);
        return new View(sendingIpId, ip.Address.ToString(), ip.Label, status, codes, timeline, checks, now);
    }

    /// <summary>Used until the first diagnosis has run for this IP.</summary>
    private static string FallbackVerdict(IReadOnlyList<IpCodeRow> codes)
    {
        if (codes.Count == 0)
        {
            return $"No provider has refused this IP in the last {RemediationRules.EvidenceDays} days of bounces and logs.";
        }

        var latest = codes[0];
        var since = codes.Where(c => c.Provider == latest.Provider).Min(c => c.First);
        var meaning = latest.Known is null ? "" : $": {latest.Known.Meaning}";
        return $"Refused by {ProviderNames.Display(latest.Provider)} since {TimeText.Full(since)} ({latest.Code}){meaning}";
    }
}
