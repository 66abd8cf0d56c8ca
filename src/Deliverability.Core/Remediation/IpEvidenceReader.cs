using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

/// <summary>Reads the evidence of one IP from the database, as of a given time (the diagnosis job's clock).</summary>
public static partial class IpEvidenceReader
{
    /// <summary>The evidence, or null when the IP does not exist.</summary>
    public static async Task<IpEvidence?> ReadAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset now, CancellationToken ct)
    {
        var ip = await db.SendingIps.AsNoTracking().Where(x => x.Id == sendingIpId).Select(x => new { x.Address }).SingleOrDefaultAsync(ct);
        if (ip is null) return null;

        var since = now.AddDays(-RemediationRules.EvidenceDays);
        var sinceDay = DateOnly.FromDateTime(since.UtcDateTime);
        var refusals = await ReadRefusalsAsync(db, sendingIpId, now, ct);
        var recent = refusals.Where(r => r.At >= since).ToList();
        var codes = CodesOf(recent);
        var reasons = recent.GroupBy(r => (r.Reason, r.Delay))
            .Select(g => new ReasonCount(g.Key.Reason, g.Key.Delay, g.Count(), g.Count(r => r.IsRecipientFailure), g.Max(r => r.At), g.Max(r => r.BatchId)))
            .ToList();
        var logs = db.MtaLogHours.AsNoTracking().Where(h => h.SendingIpId == sendingIpId && h.Hour <= now);
        var deliveries = await ReadLogDeliveriesAsync(db, sendingIpId, since, now, ct);

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
        var blocks = await ReadBlocksAsync(db, sendingIpId, refusals, now, ct);
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
            DmarcReports = await ReadDmarcReportsAsync(db, ip.Address, sinceDay, ct),
            DmarcSignatures = await ReadDmarcSignaturesAsync(db, ip.Address, sinceDay, ct),
            Refusals = refusals,
            LogDeliveries = deliveries,
            HasLogs = logDays.Count > 0 || refusals.Any(r => r.Source == EvidenceSource.LogLine),
        };
    }

    /// <summary>
    /// Only the provider codes of the evidence (<see cref="IpEvidence.Codes"/>, the same refusals and counting), for a page
    /// that shows them: two queries instead of the whole evidence's twenty.
    /// </summary>
    public static async Task<IReadOnlyList<CodeSighting>> ReadCodesAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset now, CancellationToken ct)
    {
        var since = now.AddDays(-RemediationRules.EvidenceDays);
        return CodesOf((await ReadRefusalsAsync(db, sendingIpId, now, ct)).Where(r => r.At >= since));
    }

    private static List<CodeSighting> CodesOf(IEnumerable<Refusal> recent) => recent.Where(r => r.Provider is not null && r.Code is not null)
        .GroupBy(r => (Provider: r.Provider!, Code: r.Code!))
        .Select(g => new CodeSighting(g.Key.Provider, g.Key.Code, g.Count(), g.Min(r => r.At), g.Max(r => r.At),
            g.All(r => r.BatchId is null), g.Max(r => r.BatchId)) { InLogs = g.Count(r => r.Source == EvidenceSource.LogLine) })
        .OrderBy(c => c.Provider, StringComparer.Ordinal).ThenBy(c => c.Code, StringComparer.Ordinal)
        .ToList();

    private static async Task<(List<CheckSighting> Checks, DateTimeOffset? At)> ReadLatestChecksAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var (finishedAt, rows) = await LatestCheckResults.ReadAsync(db, sendingIpId, ct);
        var checks = rows.Select(r => new CheckSighting(r.Check, r.Target, r.Status, r.Summary, r.CheckedAt,
            r.Check == SenderScoreCheck.Name ? SenderScoreCheck.StoredScore(r.Details) : null, DynamicIpSigns.Read(r.Check, r.Details))).ToList();
        return (checks, finishedAt);
    }

    // Columns come back snake_case: the naming convention applies to this query type too.
    private sealed class SndsBlock
    {
        public DateTimeOffset ReportedAt { get; set; }
        public bool Blocked { get; set; }
    }

    /// <summary>
    /// The first block by a provider: when (the log line or the report's own time), with which code, seen where; the start of the
    /// current episode as the IP status names it, for every page, the case and the request text. Null when the provider does not block the IP.
    /// </summary>
    public static async Task<IpStatusRules.Block?> FirstBlockAsync(DeliverabilityDbContext db, long sendingIpId, string provider, DateTimeOffset now, CancellationToken ct) =>
        await ReadAsync(db, sendingIpId, now, ct) is { } evidence ? IpStatusRules.CurrentBlock(evidence, provider) : null;

    /// <summary>
    /// Bounce and delay reports and refused or deferred log lines, one per message and recipient (<see cref="RefusalMerge"/>):
    /// the last <see cref="RemediationRules.EvidenceDays"/> days, and those with a provider code back to <see cref="IpStatusRules.BlockHistoryDays"/>.
    /// </summary>
    private static async Task<List<Refusal>> ReadRefusalsAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset now, CancellationToken ct)
    {
        var since = now.AddDays(-RemediationRules.EvidenceDays);
        var history = now.AddDays(-IpStatusRules.BlockHistoryDays);
        var reports = await db.Bounces.AsNoTracking()
            .Where(b => b.SendingIpId == sendingIpId && (b.Kind == BounceKind.Bounce || b.Kind == BounceKind.Delay) && b.OccurredAt <= now
                && (b.OccurredAt >= since || (b.OccurredAt >= history && b.ProviderCode != null)))
            .Select(b => new BounceReportRow(b.OccurredAt, b.Recipient, b.OriginalMessageId, b.Kind == BounceKind.Delay, b.Provider, b.ProviderCode,
                b.Reason, b.Status, b.Diagnostic, b.BatchId, b.RawMessageId))
            .ToListAsync(ct);
        var lines = await ReadLogRefusalLinesAsync(db, sendingIpId, since, history, now, ct);
        return RefusalMerge.Merge(lines, reports);
    }

    /// <summary>Block evidence per provider, code and day: refusals with a block code (from bounces and log lines), the latest SNDS IP status.</summary>
    private static async Task<(List<BlockSighting> Sightings, DateTimeOffset? Snds)> ReadBlocksAsync(DeliverabilityDbContext db, long sendingIpId,
        IReadOnlyList<Refusal> refusals, DateTimeOffset now, CancellationToken ct)
    {
        var since = now.AddDays(-IpStatusRules.BlockHistoryDays);
        var sightings = refusals.Where(r => r.At >= since && IpStatusRules.IsBlockCode(r.Provider, r.Code))
            .GroupBy(r => (Provider: r.Provider!, Code: r.Code!, Day: r.At.UtcDateTime.Date))
            .Select(g =>
            {
                var first = g.MinBy(r => r.At)!;
                return new BlockSighting(g.Key.Provider, g.Key.Code, first.At, g.Max(r => r.At), g.Count()) { FirstSource = first.Source, FirstReply = first.Reply };
            })
            .ToList();

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
