using System.Net;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

public static partial class IpEvidenceReader
{
    /// <summary>DMARC report records whose source is one of the addresses (by address: also those stored before it was tracked), per reporter and From domain.</summary>
    private static async Task<ILookup<IPAddress, DmarcReportSighting>> ReadDmarcReportsAsync(DeliverabilityDbContext db, List<IPAddress> addresses, DateOnly since,
        CancellationToken ct) =>
        (await db.DmarcRecords.AsNoTracking().Where(r => addresses.Contains(r.SourceIp) && r.Day >= since)
            .Join(db.DmarcReports, r => r.DmarcReportId, p => p.Id, (r, p) => new { r, p.OrgName })
            .GroupBy(x => new { x.r.SourceIp, x.OrgName, x.r.HeaderFrom })
            .Select(g => new { g.Key.SourceIp, Sighting = new DmarcReportSighting(g.Key.OrgName, g.Key.HeaderFrom, g.Sum(x => (long)x.r.Count), g.Sum(x => x.r.DmarcPass ? (long)x.r.Count : 0),
                g.Sum(x => x.r.Dkim == "pass" ? (long)x.r.Count : 0), g.Sum(x => x.r.Spf == "pass" ? (long)x.r.Count : 0), g.Min(x => x.r.Day), g.Max(x => x.r.Day)) })
            .ToListAsync(ct))
        .OrderBy(s => s.Sighting.Reporter, StringComparer.Ordinal).ThenBy(s => s.Sighting.HeaderFrom, StringComparer.Ordinal)
        .ToLookup(s => s.SourceIp, s => s.Sighting);

    private static async Task<ILookup<IPAddress, DkimReportSighting>> ReadDmarcSignaturesAsync(DeliverabilityDbContext db, List<IPAddress> addresses, DateOnly since,
        CancellationToken ct) =>
        (await db.DmarcRecords.AsNoTracking().Where(r => addresses.Contains(r.SourceIp) && r.Day >= since)
            .Join(db.DmarcReports, r => r.DmarcReportId, p => p.Id, (r, p) => new { r, p.OrgName })
            .Join(db.DmarcDkimResults, x => new { x.r.DmarcReportId, x.r.Ordinal }, d => new { d.DmarcReportId, Ordinal = d.RecordOrdinal }, (x, d) => new { x.r, x.OrgName, d })
            .GroupBy(x => new { x.r.SourceIp, x.OrgName, x.r.HeaderFrom, x.d.Domain, x.d.Selector })
            .Select(g => new { g.Key.SourceIp, Sighting = new DkimReportSighting(g.Key.OrgName, g.Key.HeaderFrom, g.Key.Domain, g.Key.Selector, g.Sum(x => (long)x.r.Count),
                g.Sum(x => x.d.Result == "pass" ? 0 : (long)x.r.Count)) })
            .ToListAsync(ct))
        .OrderBy(s => s.Sighting.Reporter, StringComparer.Ordinal).ThenBy(s => s.Sighting.Domain, StringComparer.Ordinal).ThenBy(s => s.Sighting.Selector, StringComparer.Ordinal)
        .ToLookup(s => s.SourceIp, s => s.Sighting);
}
