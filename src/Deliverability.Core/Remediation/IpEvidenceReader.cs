using System.Net;
using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Reads the evidence of sending IPs from the database, as of a given time (the diagnosis job's clock). Many IPs are read
/// together with one query per kind of evidence (a full re-diagnosis reads thousands); one IP is the same read with one id,
/// so a single diagnosis and a chunk of them cannot disagree.
/// </summary>
public static partial class IpEvidenceReader
{
    /// <summary>The evidence, or null when the IP does not exist.</summary>
    public static async Task<IpEvidence?> ReadAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset now, CancellationToken ct) =>
        (await ReadManyAsync(db, [sendingIpId], now, ct)).GetValueOrDefault(sendingIpId);

    /// <summary>The evidence of every IP of <paramref name="sendingIpIds"/> that exists, by IP id.</summary>
    public static async Task<Dictionary<long, IpEvidence>> ReadManyAsync(DeliverabilityDbContext db, IReadOnlyCollection<long> sendingIpIds,
        DateTimeOffset now, CancellationToken ct)
    {
        var ids = sendingIpIds.Distinct().ToArray();
        var facts = await ReadFactsAsync(db, ids, now, ct);
        if (facts.Count == 0) return [];
        ids = [.. facts.Keys];

        var since = now.AddDays(-RemediationRules.EvidenceDays);
        var sinceDay = DateOnly.FromDateTime(since.UtcDateTime);
        var refusals = await ReadRefusalsAsync(db, ids, now, ct);
        var deliveries = await ReadLogDeliveriesAsync(db, ids, since, now, ct);
        var complaints = await db.Complaints.AsNoTracking()
            .Where(c => ids.Contains(c.SendingIpId!.Value) && c.OccurredAt >= since && c.OccurredAt <= now)
            .GroupBy(c => c.SendingIpId!.Value)
            .Select(g => new { Id = g.Key, Count = g.Count(), First = g.Min(c => c.OccurredAt), Last = g.Max(c => c.OccurredAt), Batch = g.Max(c => c.BatchId) })
            .ToDictionaryAsync(c => c.Id, c => new ComplaintSummary(c.Count, c.First, c.Last, c.Batch), ct);

        var snds = (await db.SndsDays.AsNoTracking().Where(d => ids.Contains(d.SendingIpId!.Value) && d.Day >= sinceDay)
                .OrderBy(d => d.Day)
                .Select(d => new { Id = d.SendingIpId!.Value, Day = new SndsDaySummary(d.Day, d.FilterResult, d.ComplaintRate, d.TrapHits, d.MessageRecipients) })
                .ToListAsync(ct))
            .ToLookup(d => d.Id, d => d.Day);

        var logDays = (await db.MtaLogHours.AsNoTracking().Where(h => ids.Contains(h.SendingIpId!.Value) && h.Hour >= since && h.Hour <= now)
                .Select(h => new { Id = h.SendingIpId!.Value, h.Hour, h.Attempts, h.Sent, h.Deferred, h.Bounced }).ToListAsync(ct))
            .GroupBy(h => (h.Id, Day: DateOnly.FromDateTime(h.Hour.UtcDateTime)))
            .OrderBy(g => g.Key.Day)
            .ToLookup(g => g.Key.Id, g => new LogDay(g.Key.Day, g.Sum(h => h.Attempts), g.Sum(h => h.Sent), g.Sum(h => h.Deferred), g.Sum(h => h.Bounced)));

        var logins = await ReadLoginsAsync(db, ids, since, now, ct);
        var checks = await ReadLatestChecksAsync(db, ids, ct);
        var cases = (await db.DelistingCases.AsNoTracking().Where(c => ids.Contains(c.SendingIpId))
                .Select(c => new { c.SendingIpId, Case = new CaseSighting(c.Target, c.State == DelistingCaseState.Resolved, c.Outcome == DelistingOutcome.Unblocked, c.ResolvedAt) })
                .ToListAsync(ct))
            .ToLookup(c => c.SendingIpId, c => c.Case);
        var addresses = facts.Values.Select(f => f.Address).ToList();
        var dmarcReports = await ReadDmarcReportsAsync(db, addresses, sinceDay, ct);
        var dmarcSignatures = await ReadDmarcSignaturesAsync(db, addresses, sinceDay, ct);

        var evidence = new Dictionary<long, IpEvidence>(ids.Length);
        foreach (var (id, fact) in facts)
        {
            var ipRefusals = refusals.GetValueOrDefault(id) ?? [];
            var recent = ipRefusals.Where(r => r.At >= since).ToList();
            var reasons = recent.GroupBy(r => (r.Reason, r.Delay))
                .Select(g => new ReasonCount(g.Key.Reason, g.Key.Delay, g.Count(), g.Count(r => r.IsRecipientFailure), g.Max(r => r.At), g.Max(r => r.BatchId)))
                .OrderBy(r => r.Reason, StringComparer.Ordinal).ThenBy(r => r.Delay)
                .ToList();
            var (blocks, sndsBlockedAt) = BlocksOf(ipRefusals, fact, now);
            var (lastCheckedAt, ipChecks) = checks.GetValueOrDefault(id);
            var days = logDays[id].ToList();
            var firstSndsDay = fact.FirstSndsDay is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null;
            evidence[id] = new IpEvidence
            {
                SendingIpId = id,
                Now = now,
                Address = fact.Address.ToString(),
                FirstActivityAt = new[] { fact.FirstBounce, fact.FirstComplaint, fact.FirstLogHour, firstSndsDay }.Where(t => t is not null).Min(),
                Codes = CodesOf(recent),
                Reasons = reasons,
                Complaints = complaints.GetValueOrDefault(id) ?? new ComplaintSummary(0, null, null, null),
                SndsDays = snds[id].ToList(),
                SndsBlockedAt = sndsBlockedAt,
                LogDays = days,
                Logins = logins.GetValueOrDefault(id) ?? [],
                Checks = ipChecks ?? [],
                LastCheckedAt = lastCheckedAt,
                Blocks = blocks,
                Cases = cases[id].ToList(),
                HasAnyBounce = fact.FirstBounce is not null,
                DmarcReports = dmarcReports[fact.Address].ToList(),
                DmarcSignatures = dmarcSignatures[fact.Address].ToList(),
                Refusals = ipRefusals,
                LogDeliveries = deliveries[id].ToList(),
                HasLogs = days.Count > 0 || ipRefusals.Any(r => r.Source == EvidenceSource.LogLine),
            };
        }

        return evidence;
    }

    /// <summary>
    /// Only the provider codes of the evidence (<see cref="IpEvidence.Codes"/>, the same refusals and counting), for a page
    /// that shows them: two queries instead of the whole evidence's twenty.
    /// </summary>
    public static async Task<IReadOnlyList<CodeSighting>> ReadCodesAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset now, CancellationToken ct)
    {
        var since = now.AddDays(-RemediationRules.EvidenceDays);
        var refusals = await ReadRefusalsAsync(db, [sendingIpId], now, ct);
        return CodesOf((refusals.GetValueOrDefault(sendingIpId) ?? []).Where(r => r.At >= since));
    }

    private static List<CodeSighting> CodesOf(IEnumerable<Refusal> recent) => recent.Where(r => r.Provider is not null && r.Code is not null)
        .GroupBy(r => (Provider: r.Provider!, Code: r.Code!))
        .Select(g => new CodeSighting(g.Key.Provider, g.Key.Code, g.Count(), g.Min(r => r.At), g.Max(r => r.At),
            g.All(r => r.BatchId is null), g.Max(r => r.BatchId)) { InLogs = g.Count(r => r.Source == EvidenceSource.LogLine) })
        .OrderBy(c => c.Provider, StringComparer.Ordinal).ThenBy(c => c.Code, StringComparer.Ordinal)
        .ToList();

    private static async Task<Dictionary<long, (DateTimeOffset? At, List<CheckSighting> Checks)>> ReadLatestChecksAsync(DeliverabilityDbContext db,
        long[] ids, CancellationToken ct) =>
        (await LatestCheckResults.ReadManyAsync(db, ids, ct)).ToDictionary(p => p.Key, p => (p.Value.FinishedAt,
            p.Value.Results.Select(r => new CheckSighting(r.Check, r.Target, r.Status, r.Summary, r.CheckedAt,
                r.Check == SenderScoreCheck.Name ? SenderScoreCheck.StoredScore(r.Details) : null, DynamicIpSigns.Read(r.Check, r.Details))).ToList()));

    // Columns come back snake_case: the naming convention applies to this query type too.
    private sealed class IpFacts
    {
        public long SendingIpId { get; set; }
        public IPAddress Address { get; set; } = IPAddress.None;
        public DateTimeOffset? FirstBounce { get; set; }
        public DateTimeOffset? FirstComplaint { get; set; }
        public DateTimeOffset? FirstLogHour { get; set; }
        public DateOnly? FirstSndsDay { get; set; }
        public DateTimeOffset? SndsReportedAt { get; set; }
        public bool? SndsBlocked { get; set; }
    }

    /// <summary>
    /// Per IP, one row: its address, the first piece of each kind of evidence (ever, for "young IP" and "never bounced"), and the
    /// latest SNDS IP status row whose range holds the address. Each first is one index probe per IP.
    /// </summary>
    private static async Task<Dictionary<long, IpFacts>> ReadFactsAsync(DeliverabilityDbContext db, long[] ids, DateTimeOffset now, CancellationToken ct) =>
        await db.Database.SqlQuery<IpFacts>($"""
            SELECT i.id AS sending_ip_id, i.address,
                (SELECT min(b.occurred_at) FROM bounces b WHERE b.sending_ip_id = i.id) AS first_bounce,
                (SELECT min(c.occurred_at) FROM complaints c WHERE c.sending_ip_id = i.id) AS first_complaint,
                (SELECT min(h.hour) FROM mta_log_hours h WHERE h.sending_ip_id = i.id) AS first_log_hour,
                (SELECT min(d.day) FROM snds_days d WHERE d.sending_ip_id = i.id) AS first_snds_day,
                s.reported_at AS snds_reported_at, s.blocked AS snds_blocked
            FROM sending_ips i
            LEFT JOIN LATERAL (
                SELECT reported_at, blocked FROM snds_ip_status
                WHERE first_ip <= i.address AND last_ip >= i.address AND reported_at <= {now}
                ORDER BY reported_at DESC, id DESC LIMIT 1) s ON true
            WHERE i.id = ANY({ids})
            """).ToDictionaryAsync(f => f.SendingIpId, ct);

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
    private static async Task<Dictionary<long, List<Refusal>>> ReadRefusalsAsync(DeliverabilityDbContext db, long[] ids, DateTimeOffset now, CancellationToken ct)
    {
        var since = now.AddDays(-RemediationRules.EvidenceDays);
        var history = now.AddDays(-IpStatusRules.BlockHistoryDays);
        var reports = (await db.Bounces.AsNoTracking()
                .Where(b => ids.Contains(b.SendingIpId!.Value) && (b.Kind == BounceKind.Bounce || b.Kind == BounceKind.Delay) && b.OccurredAt <= now
                    && (b.OccurredAt >= since || (b.OccurredAt >= history && b.ProviderCode != null)))
                .Select(b => new { Id = b.SendingIpId!.Value, Row = new BounceReportRow(b.OccurredAt, b.Recipient, b.OriginalMessageId, b.Kind == BounceKind.Delay, b.Provider,
                    b.ProviderCode, b.Reason, b.Status, b.Diagnostic, b.BatchId, b.RawMessageId) })
                .ToListAsync(ct))
            .ToLookup(r => r.Id, r => r.Row);
        var lines = await ReadLogRefusalLinesAsync(db, ids, since, history, now, ct);
        return ids.ToDictionary(id => id, id => RefusalMerge.Merge(lines[id], reports[id]));
    }

    /// <summary>Block evidence per provider, code and day: refusals with a block code (from bounces and log lines), the latest SNDS IP status.</summary>
    private static (List<BlockSighting> Sightings, DateTimeOffset? Snds) BlocksOf(IReadOnlyList<Refusal> refusals, IpFacts facts, DateTimeOffset now)
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

        DateTimeOffset? sndsBlockedAt = null;
        if (facts is { SndsBlocked: true, SndsReportedAt: { } reportedAt } && reportedAt >= since)
        {
            sndsBlockedAt = reportedAt;
            sightings.Add(new BlockSighting("outlook.com", "SNDS", reportedAt, reportedAt, 1));
        }

        return (sightings.OrderBy(s => s.First).ThenBy(s => s.Provider, StringComparer.Ordinal).ToList(), sndsBlockedAt);
    }
}
