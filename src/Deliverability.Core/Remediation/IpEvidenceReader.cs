using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

/// <summary>Reads the evidence of one IP from the database, as of a given time (the diagnosis job's clock).</summary>
public static class IpEvidenceReader
{
    /// <summary>The evidence, or null when the IP does not exist.</summary>
    public static async Task<IpEvidence?> ReadAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset now, CancellationToken ct)
    {
        var ip = await db.SendingIps.AsNoTracking().Where(x => x.Id == sendingIpId).Select(x => new { x.Address }).SingleOrDefaultAsync(ct);
        if (ip is null) return null;

        var since = now.AddDays(-RemediationRules.EvidenceDays);
        var sinceDay = DateOnly.FromDateTime(since.UtcDateTime);
        var reports = db.Bounces.AsNoTracking()
            .Where(b => b.SendingIpId == sendingIpId && (b.Kind == BounceKind.Bounce || b.Kind == BounceKind.Delay) && b.OccurredAt <= now);

        var bounceCodes = await reports.Where(b => b.OccurredAt >= since && b.ProviderCode != null && b.Provider != null)
            .GroupBy(b => new { b.Provider, b.ProviderCode })
            .Select(g => new { g.Key.Provider, g.Key.ProviderCode, Count = g.Count(), First = g.Min(b => b.OccurredAt), Last = g.Max(b => b.OccurredAt), Batch = g.Max(b => b.BatchId) })
            .ToListAsync(ct);
        var logs = db.MtaLogHours.AsNoTracking().Where(h => h.SendingIpId == sendingIpId && h.Hour <= now);
        var logCodes = await logs.Where(h => h.Hour >= since && h.ProviderCode != null)
            .GroupBy(h => new { h.Provider, h.ProviderCode })
            .Select(g => new { g.Key.Provider, g.Key.ProviderCode, Count = g.Sum(h => h.Deferred + h.Bounced), First = g.Min(h => h.FirstAt), Last = g.Max(h => h.Hour) })
            .ToListAsync(ct);
        var codes = bounceCodes.Select(c => new CodeSighting(c.Provider!, c.ProviderCode!, c.Count, c.First, c.Last, false, c.Batch))
            .Concat(logCodes.Where(c => c.Count > 0).Select(c => new CodeSighting(c.Provider, c.ProviderCode!, c.Count, c.First, c.Last, true, null)))
            .OrderBy(c => c.Provider, StringComparer.Ordinal).ThenBy(c => c.Code, StringComparer.Ordinal).ThenBy(c => c.FromLog)
            .ToList();

        var reasons = await reports.Where(b => b.OccurredAt >= since)
            .GroupBy(b => new { b.Reason, Delay = b.Kind == BounceKind.Delay })
            .Select(g => new ReasonCount(g.Key.Reason, g.Key.Delay, g.Count(), g.Count(b => b.HardBounce), g.Max(b => b.OccurredAt), g.Max(b => b.BatchId)))
            .ToListAsync(ct);

        var complaintRows = db.Complaints.AsNoTracking().Where(c => c.SendingIpId == sendingIpId && c.OccurredAt >= since && c.OccurredAt <= now);
        var complaints = new ComplaintSummary(
            await complaintRows.CountAsync(ct),
            await complaintRows.MinAsync(c => (DateTimeOffset?)c.OccurredAt, ct),
            await complaintRows.MaxAsync(c => (DateTimeOffset?)c.OccurredAt, ct),
            await complaintRows.MaxAsync(c => (long?)c.BatchId, ct));

        var snds = await db.SndsDays.AsNoTracking().Where(d => d.SendingIpId == sendingIpId && d.Day >= sinceDay)
            .OrderBy(d => d.Day)
            .Select(d => new SndsDaySummary(d.Day, d.FilterResult, d.ComplaintRate, d.TrapHits, d.MessageRecipients))
            .ToListAsync(ct);

        var logDays = (await logs.Where(h => h.Hour >= since)
                .Select(h => new { h.Hour, h.Attempts, h.Sent, h.Deferred, h.Bounced }).ToListAsync(ct))
            .GroupBy(h => DateOnly.FromDateTime(h.Hour.UtcDateTime))
            .OrderBy(g => g.Key)
            .Select(g => new LogDay(g.Key, g.Sum(h => h.Attempts), g.Sum(h => h.Sent), g.Sum(h => h.Deferred), g.Sum(h => h.Bounced)))
            .ToList();

        // Logins are counted per log host, not per IP: the IP's logins are those of the hosts its log lines came from.
        var hosts = await logs.Select(h => h.LogHost).Distinct().ToListAsync(ct);
        var logins = hosts.Count == 0 ? [] : await db.MtaLogLoginHours.AsNoTracking()
            .Where(l => hosts.Contains(l.LogHost) && l.Hour >= since && l.Hour <= now)
            .GroupBy(l => new { l.User, l.Hour })
            .Select(g => new LoginHour(g.Key.User, g.Key.Hour, g.Sum(l => l.Succeeded)))
            .ToListAsync(ct);

        var (checks, lastCheckedAt) = await ReadLatestChecksAsync(db, sendingIpId, ct);
        var blocks = await ReadBlocksAsync(db, sendingIpId, now, ct);
        var cases = await db.DelistingCases.AsNoTracking().Where(c => c.SendingIpId == sendingIpId)
            .Select(c => new CaseSighting(c.Target, c.State == DelistingCaseState.Resolved, c.Outcome == DelistingOutcome.Unblocked, c.ResolvedAt))
            .ToListAsync(ct);

        var firstActivity = new[]
        {
            await db.Bounces.Where(b => b.SendingIpId == sendingIpId).MinAsync(b => (DateTimeOffset?)b.OccurredAt, ct),
            await db.Complaints.Where(c => c.SendingIpId == sendingIpId).MinAsync(c => (DateTimeOffset?)c.OccurredAt, ct),
            await db.MtaLogHours.Where(h => h.SendingIpId == sendingIpId).MinAsync(h => (DateTimeOffset?)h.Hour, ct),
            (await db.SndsDays.Where(d => d.SendingIpId == sendingIpId).MinAsync(d => (DateOnly?)d.Day, ct)) is { } day
                ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        }.Where(t => t is not null).Min();

        return new IpEvidence
        {
            SendingIpId = sendingIpId,
            Now = now,
            FirstActivityAt = firstActivity,
            Codes = codes,
            Reasons = reasons.OrderBy(r => r.Reason, StringComparer.Ordinal).ThenBy(r => r.Delay).ToList(),
            Complaints = complaints,
            SndsDays = snds,
            SndsBlockedAt = blocks.Snds,
            LogDays = logDays,
            Logins = logins,
            Checks = checks,
            LastCheckedAt = lastCheckedAt,
            Blocks = blocks.Sightings,
            Cases = cases,
            HasAnyBounce = await db.Bounces.AnyAsync(b => b.SendingIpId == sendingIpId, ct),
        };
    }

    private static async Task<(List<CheckSighting> Checks, DateTimeOffset? At)> ReadLatestChecksAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var (finishedAt, rows) = await LatestCheckResults.ReadAsync(db, sendingIpId, ct);
        var checks = rows.Select(r => new CheckSighting(r.Check, r.Target, r.Status, r.Summary, r.CheckedAt,
            r.Check == SenderScoreCheck.Name ? SenderScoreCheck.StoredScore(r.Details) : null)).ToList();
        return (checks, finishedAt);
    }

    // Columns come back snake_case: the naming convention applies to this query type too.
    private sealed class SndsBlock
    {
        public DateTimeOffset ReportedAt { get; set; }
        public bool Blocked { get; set; }
    }

    /// <summary>Block evidence per provider, code and day: block bounces, Microsoft block log hours, the latest SNDS IP status.</summary>
    private static async Task<(List<BlockSighting> Sightings, DateTimeOffset? Snds)> ReadBlocksAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset now, CancellationToken ct)
    {
        var since = now.AddDays(-IpStatusRules.BlockHistoryDays);
        var bounces = await db.Bounces.AsNoTracking()
            .Where(b => b.SendingIpId == sendingIpId && (b.Kind == BounceKind.Bounce || b.Kind == BounceKind.Delay)
                && b.OccurredAt >= since && b.OccurredAt <= now && b.Provider != null && b.ProviderCode != null)
            .Select(b => new { b.Provider, b.ProviderCode, b.OccurredAt })
            .ToListAsync(ct);
        var sightings = bounces.Where(b => IpStatusRules.IsBlockCode(b.Provider, b.ProviderCode))
            .GroupBy(b => (Provider: b.Provider!, Code: b.ProviderCode!, Day: b.OccurredAt.UtcDateTime.Date))
            .Select(g => new BlockSighting(g.Key.Provider, g.Key.Code, g.Min(b => b.OccurredAt), g.Max(b => b.OccurredAt), g.Count())).ToList();

        var logBlocks = await db.MtaLogHours.AsNoTracking()
            .Where(h => h.SendingIpId == sendingIpId && h.MicrosoftBlock && h.Hour >= since && h.Hour <= now)
            .Select(h => new { h.Provider, h.ProviderCode, h.FirstAt, h.Hour, Count = h.Bounced + h.Deferred })
            .ToListAsync(ct);
        // The log reader flags every Microsoft refusal; throttling codes (4.7.650 and the like) are not blocks.
        sightings.AddRange(logBlocks
            .Select(h => (Row: h, Provider: h.Provider is "microsoft365" ? h.Provider : "outlook.com"))
            .Where(h => h.Row.ProviderCode is null || IpStatusRules.IsBlockCode(h.Provider, h.Row.ProviderCode))
            .Select(h => h.Row with { Provider = h.Provider })
            .GroupBy(h => (Provider: h.Provider, Code: h.ProviderCode ?? "block", Day: h.Hour.UtcDateTime.Date))
            .Select(g => new BlockSighting(g.Key.Provider, g.Key.Code, g.Min(h => h.FirstAt), g.Max(h => h.Hour), g.Sum(h => h.Count))));

        var address = await db.SendingIps.Where(x => x.Id == sendingIpId).Select(x => x.Address).SingleAsync(ct);
        var snds = await db.Database.SqlQuery<SndsBlock>($"""
            SELECT reported_at, blocked FROM snds_ip_status
            WHERE first_ip <= {address} AND last_ip >= {address} AND reported_at <= {now}
            ORDER BY reported_at DESC, id DESC LIMIT 1
            """).ToListAsync(ct);
        DateTimeOffset? sndsBlockedAt = null;
        if (snds is [{ Blocked: true } latest] && latest.ReportedAt >= since)
        {
            sndsBlockedAt = latest.ReportedAt;
            sightings.Add(new BlockSighting("outlook.com", "SNDS", latest.ReportedAt, latest.ReportedAt, 1));
        }

        return (sightings.OrderBy(s => s.First).ThenBy(s => s.Provider, StringComparer.Ordinal).ToList(), sndsBlockedAt);
    }
}
