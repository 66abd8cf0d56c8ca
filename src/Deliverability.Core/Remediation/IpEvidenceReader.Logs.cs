using Deliverability.Core.Data;
using Deliverability.Core.Logs;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Remediation;

public static partial class IpEvidenceReader
{
    /// <summary>Refused, expired and deferred log lines of the IPs: the last 30 days (<paramref name="since"/>), and those with a provider code back to <paramref name="history"/>.</summary>
    private static async Task<ILookup<long, LogRefusalLine>> ReadLogRefusalLinesAsync(DeliverabilityDbContext db, long[] ids, DateTimeOffset since,
        DateTimeOffset history, DateTimeOffset now, CancellationToken ct) =>
        (await db.MtaLogDeliveries.AsNoTracking()
            .Where(l => ids.Contains(l.SendingIpId!.Value) && l.Status != DeliveryStatus.Sent && l.At <= now
                && (l.At >= since || (l.At >= history && l.ProviderCode != null)))
            .OrderBy(l => l.At)
            .Select(l => new { Id = l.SendingIpId!.Value, Line = new LogRefusalLine(l.At, l.LogHost, l.QueueId, l.MessageId, l.Recipient, l.Status == DeliveryStatus.Deferred, l.Provider,
                l.ProviderCode, l.Reason ?? BounceReasons.Undefined, l.EnhancedStatus, l.Blocklist, l.Reply) })
            .ToListAsync(ct))
        .ToLookup(l => l.Id, l => l.Line);

    /// <summary>Logged deliveries (status sent) per IP and hour.</summary>
    private static async Task<ILookup<long, LogDeliveryHour>> ReadLogDeliveriesAsync(DeliverabilityDbContext db, long[] ids, DateTimeOffset since,
        DateTimeOffset now, CancellationToken ct) =>
        (await db.MtaLogDeliveries.AsNoTracking()
            .Where(l => ids.Contains(l.SendingIpId!.Value) && l.Status == DeliveryStatus.Sent && l.At >= since && l.At <= now)
            .GroupBy(l => new { Id = l.SendingIpId!.Value, l.At.Year, l.At.Month, l.At.Day, l.At.Hour })
            .Select(g => new { g.Key.Id, g.Key.Year, g.Key.Month, g.Key.Day, g.Key.Hour, Sent = g.Count() })
            .ToListAsync(ct))
        .Select(h => (h.Id, Hour: new LogDeliveryHour(new DateTimeOffset(h.Year, h.Month, h.Day, h.Hour, 0, 0, TimeSpan.Zero), h.Sent)))
        .OrderBy(h => h.Hour.Hour)
        .ToLookup(h => h.Id, h => h.Hour);

    /// <summary>
    /// Logins are counted per log host, not per IP: an IP's logins are those of the hosts its log lines came from (any time),
    /// summed per user and hour.
    /// </summary>
    private static async Task<Dictionary<long, List<LoginHour>>> ReadLoginsAsync(DeliverabilityDbContext db, long[] ids, DateTimeOffset since,
        DateTimeOffset now, CancellationToken ct)
    {
        var hostsOf = (await db.MtaLogHours.AsNoTracking().Where(h => ids.Contains(h.SendingIpId!.Value) && h.Hour <= now)
                .Select(h => new { Id = h.SendingIpId!.Value, h.LogHost }).Distinct().ToListAsync(ct))
            .ToLookup(h => h.Id, h => h.LogHost);
        var hosts = hostsOf.SelectMany(h => h).Distinct().ToList();
        if (hosts.Count == 0) return [];

        var hours = await db.MtaLogLoginHours.AsNoTracking()
            .Where(l => hosts.Contains(l.LogHost) && l.Hour >= since && l.Hour <= now)
            .GroupBy(l => new { l.LogHost, l.User, l.Hour })
            .Select(g => new { g.Key.LogHost, g.Key.User, g.Key.Hour, Succeeded = g.Sum(l => l.Succeeded) })
            .ToListAsync(ct);
        var byHost = hours.ToLookup(h => h.LogHost);
        return hostsOf.ToDictionary(h => h.Key, h => h.Distinct().SelectMany(host => byHost[host])
            .GroupBy(l => (l.User, l.Hour))
            .Select(g => new LoginHour(g.Key.User, g.Key.Hour, g.Sum(l => l.Succeeded)))
            .ToList());
    }
}
