using Deliverability.Core.Alerts;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Diagnoses one sending IP: reads its evidence, brings its remediation checklist up to date and rewrites its status row, and
/// clears the IP's pending request (<see cref="IpDiagnosisRequest"/>). Idempotent: a second run over the same evidence and clock
/// changes nothing. One run per IP at a time: a transaction-scoped advisory lock on the IP, released by a crash with its connection.
/// The hourly counts it shows beside the status are kept current by the writers of bounces (<see cref="BounceHours"/>).
/// </summary>
public sealed partial class IpDiagnosisJob(DeliverabilityDbContext db, DelistingCases cases, AlertRequests alerts, TimeProvider clock, ILogger<IpDiagnosisJob> logger)
{
    /// <summary>After the IP's evidence changed (ingest, re-parse, assignment).</summary>
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(JobQueues.Default)]
    public Task RunAsync(long sendingIpId, CancellationToken ct) => DiagnoseAsync(sendingIpId, ct);

    /// <summary>When checks, cases or ticks moved (the same diagnosis; its own name tells the two apart in the dashboard).</summary>
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(JobQueues.Default)]
    public Task RefreshAsync(long sendingIpId, CancellationToken ct) => DiagnoseAsync(sendingIpId, ct);

    /// <summary>How long a diagnosis waits for a live diagnosis of the same IP to end.</summary>
    public static readonly TimeSpan SameIpWait = TimeSpan.FromMinutes(2);

    internal Task DiagnoseAsync(long sendingIpId, CancellationToken ct) => DiagnoseManyAsync([sendingIpId], ct);

    /// <summary>
    /// Diagnoses IPs together, in one transaction: their evidence is read with one query per kind for all of them, and their
    /// checklists, status rows and requests are written in one round of statements. What a single diagnosis does, for a chunk.
    /// </summary>
    public async Task DiagnoseManyAsync(IReadOnlyCollection<long> sendingIpIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = sendingIpIds.Distinct().Order().ToArray();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One diagnosis of an IP at a time (the second waits, then reads what the first wrote); the locks go with the transaction.
        // Taken in id order, so two diagnoses of overlapping sets of IPs never wait for each other in a circle.
        await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '120s'", ct); // SameIpWait
        await db.Database.ExecuteSqlAsync($"""
            SELECT count(pg_advisory_xact_lock(hashtextextended('diagnose-ip:' || id, 0)))
            FROM (SELECT id FROM unnest({ids}) AS id ORDER BY id OFFSET 0) AS sorted
            """, ct);

        var evidence = await IpEvidenceReader.ReadManyAsync(db, ids, now, ct);
        foreach (var gone in ids.Where(id => !evidence.ContainsKey(id)))
        {
            LogIpGone(gone);
        }

        if (evidence.Count == 0) return;
        ids = [.. evidence.Keys.Order()];
        var items = (await db.RemediationItems.Where(i => ids.Contains(i.SendingIpId)).ToListAsync(ct)).ToLookup(i => i.SendingIpId);
        var rows = await db.IpStatus.Where(s => ids.Contains(s.SendingIpId)).ToDictionaryAsync(s => s.SendingIpId, ct);
        var diagnosed = new List<(IpEvidence Evidence, PreviousBlock Before, IpStatusSnapshot Row, int Causes, int OpenItems)>(ids.Length);
        foreach (var id in ids)
        {
            var ipEvidence = evidence[id];
            var planned = RemediationRules.Plan(ipEvidence);
            var existing = items[id].ToList();
            var added = ChecklistUpdate.Apply(id, existing, planned, ipEvidence.Checks, now);
            db.RemediationItems.AddRange(added);

            var openItems = existing.Concat(added).Count(i => !i.Done);
            var row = rows.GetValueOrDefault(id);
            var before = PreviousBlock.Of(row);
            if (row is null)
            {
                row = new IpStatusSnapshot { SendingIpId = id, Verdict = "" };
                db.IpStatus.Add(row);
            }

            IpStatusRules.Apply(row, ipEvidence, planned, openItems);
            diagnosed.Add((ipEvidence, before, row, planned.Count, openItems));
        }

        await db.SaveChangesAsync(ct);

        // Alert events commit with the status rows they compare: a retried run finds the new rows and records nothing again.
        var recorded = 0;
        foreach (var (ipEvidence, before, row, _, _) in diagnosed)
        {
            foreach (var (alertEvent, state) in AlertDetection.Diagnosis(before, row, ipEvidence, ipEvidence.Address))
            {
                if (await AlertEvents.RecordAsync(db, alertEvent, now, ct, state) && state == AlertEventState.New) recorded++;
            }
        }

        await db.IpDiagnosisRequests.Where(r => ids.Contains(r.SendingIpId) && r.RequestedAt <= now).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        if (recorded > 0)
        {
            await alerts.ProcessAsync(ct);
        }

        var reopened = false;
        foreach (var (ipEvidence, _, row, causes, openItems) in diagnosed)
        {
            // A new block after a case ended "unblocked" reopens that case (after the commit, from the case service's own
            // connection); the status then counts it (the IP list counts open cases from the cases themselves). Without such a
            // case in the evidence there is nothing to reopen.
            if (row is { Health: IpHealth.Blocked, BlockedBy: { } target, BlockedSince: { } since }
                && ipEvidence.Cases.Any(c => c.Target == target && c is { Resolved: true, Unblocked: true } && c.ResolvedAt < since)
                && await cases.ReopenIfBlockedAgainAsync(row.SendingIpId, target, since, ct) is not null)
            {
                row.OpenCases = await db.DelistingCases.CountAsync(c => c.SendingIpId == row.SendingIpId && c.State != DelistingCaseState.Resolved, ct);
                reopened = true;
            }

            LogDiagnosed(row.SendingIpId, row.Health, causes, openItems);
        }

        if (reopened)
        {
            await db.SaveChangesAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending IP {SendingIpId} no longer exists: nothing to diagnose")]
    private partial void LogIpGone(long sendingIpId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Diagnosed sending IP {SendingIpId}: {Health}, {CauseCount} causes, {OpenItems} open items")]
    private partial void LogDiagnosed(long sendingIpId, IpHealth health, int causeCount, int openItems);
}
