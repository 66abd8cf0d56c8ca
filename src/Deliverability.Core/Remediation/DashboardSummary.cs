using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

/// <summary>The dashboard's figures: the IPs that need attention, the fleet's totals from ip_status, due cases and recent listings.</summary>
public sealed class DashboardSummary(IDbContextFactory<DeliverabilityDbContext> dbFactory, SendingIpList ipList, TimeProvider clock)
{
    public sealed record ListingRow(long SendingIpId, string Address, string List, bool Listed, DateTimeOffset At);

    public sealed record View(IReadOnlyList<SendingIpListRow> Attention, int Total, int Blocked, int Listed, int OpenItems, int OpenCases,
        int CasesOverdue, int CasesDueSoon, int Bounces24h, int Complaints7d, int Unattributed, IReadOnlyList<ListingRow> Listings);

    public async Task<View> LoadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (rows, total) = await ipList.LoadAsync(new SendingIpListQuery(0, 10, null, false, null, null), ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sums = await db.IpStatus.AsNoTracking().GroupBy(_ => 1).Select(g => new
        {
            Blocked = g.Count(s => s.Health == IpHealth.Blocked),
            Listed = g.Count(s => s.ListedOn > 0),
            OpenItems = g.Sum(s => s.OpenItems),
            Bounces24h = g.Sum(s => s.Bounces24h),
        }).FirstOrDefaultAsync(ct);
        var openCases = await db.DelistingCases.AsNoTracking().Where(c => c.State != DelistingCaseState.Resolved).ToListAsync(ct);
        var nextDue = openCases.Select(DelistingDeadline.Next).OfType<DelistingDeadline>().ToList();
        var complaints7d = await db.Complaints.CountAsync(c => c.OccurredAt >= now.AddDays(-7), ct);
        var unattributed = await db.Bounces.CountAsync(b => b.SendingIpId == null, ct);

        var since = now.AddDays(-14);
        var changes = await db.CheckChanges.AsNoTracking()
            .Where(c => c.At >= since && c.Check.StartsWith(BlocklistCheck.Prefix))
            .OrderByDescending(c => c.At).Take(12)
            .Join(db.SendingIps, c => c.SendingIpId, ip => ip.Id, (c, ip) => new { c.SendingIpId, ip.Address, c.Check, c.FromStatus, c.ToStatus, c.At })
            .ToListAsync(ct);
        var listings = changes
            .Where(c => CheckChange.Describe(c.Check, c.FromStatus, c.ToStatus) is "listed" or "delisted")
            .Select(c => new ListingRow(c.SendingIpId, c.Address.ToString(), c.Check[BlocklistCheck.Prefix.Length..],
                CheckChange.Describe(c.Check, c.FromStatus, c.ToStatus) == "listed", c.At))
            .ToList();
        return new View(rows, total, sums?.Blocked ?? 0, sums?.Listed ?? 0, sums?.OpenItems ?? 0, openCases.Count,
            nextDue.Count(d => d.IsOverdue(now)), nextDue.Count(d => !d.IsOverdue(now) && d.DueAt <= now.AddHours(24)),
            sums?.Bounces24h ?? 0, complaints7d, unattributed, listings);
    }
}
