using Deliverability.Core.Data;
using Deliverability.Core.Logs;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Remediation;

public static partial class IpEvidenceReader
{
    /// <summary>Refused, expired and deferred log lines of the IP: the last 30 days (<paramref name="since"/>), and those with a provider code back to <paramref name="history"/>.</summary>
    private static async Task<List<LogRefusalLine>> ReadLogRefusalLinesAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset since,
        DateTimeOffset history, DateTimeOffset now, CancellationToken ct) =>
        await db.MtaLogDeliveries.AsNoTracking()
            .Where(l => l.SendingIpId == sendingIpId && l.Status != DeliveryStatus.Sent && l.At <= now
                && (l.At >= since || (l.At >= history && l.ProviderCode != null)))
            .OrderBy(l => l.At)
            .Select(l => new LogRefusalLine(l.At, l.LogHost, l.QueueId, l.MessageId, l.Recipient, l.Status == DeliveryStatus.Deferred, l.Provider,
                l.ProviderCode, l.Reason ?? BounceReasons.Undefined, l.EnhancedStatus, l.Blocklist, l.Reply))
            .ToListAsync(ct);

    /// <summary>Logged deliveries (status sent) per hour.</summary>
    private static async Task<List<LogDeliveryHour>> ReadLogDeliveriesAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset since,
        DateTimeOffset now, CancellationToken ct) =>
        (await db.MtaLogDeliveries.AsNoTracking()
            .Where(l => l.SendingIpId == sendingIpId && l.Status == DeliveryStatus.Sent && l.At >= since && l.At <= now)
            .GroupBy(l => new { l.At.Year, l.At.Month, l.At.Day, l.At.Hour })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Day, g.Key.Hour, Sent = g.Count() })
            .ToListAsync(ct))
        .Select(h => new LogDeliveryHour(new DateTimeOffset(h.Year, h.Month, h.Day, h.Hour, 0, 0, TimeSpan.Zero), h.Sent))
        .OrderBy(h => h.Hour)
        .ToList();
}
