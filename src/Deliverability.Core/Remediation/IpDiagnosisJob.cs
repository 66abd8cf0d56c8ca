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

    internal async Task DiagnoseAsync(long sendingIpId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!await db.SendingIps.AnyAsync(x => x.Id == sendingIpId, ct))
        {
            LogIpGone(sendingIpId);
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One diagnosis of an IP at a time (the second waits, then reads what the first wrote); the lock goes with the transaction.
        await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '120s'", ct); // SameIpWait
        var lockName = $"diagnose-ip:{sendingIpId}";
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({lockName}, 0))", ct);

        var evidence = await IpEvidenceReader.ReadAsync(db, sendingIpId, now, ct);
        if (evidence is null) return;

        var planned = RemediationRules.Plan(evidence);
        var items = await db.RemediationItems.Where(i => i.SendingIpId == sendingIpId).ToListAsync(ct);
        var added = ChecklistUpdate.Apply(sendingIpId, items, planned, evidence.Checks, now);
        db.RemediationItems.AddRange(added);

        var openItems = items.Concat(added).Count(i => !i.Done);
        var row = await db.IpStatus.SingleOrDefaultAsync(s => s.SendingIpId == sendingIpId, ct);
        var before = PreviousBlock.Of(row);
        if (row is null)
        {
            row = new IpStatusSnapshot { SendingIpId = sendingIpId, Verdict = "" };
            db.IpStatus.Add(row);
        }

        IpStatusRules.Apply(row, evidence, planned, openItems);
        await db.SaveChangesAsync(ct);

        // Alert events commit with the status row they compare: a retried run finds the new row and records nothing again.
        var address = (await db.SendingIps.AsNoTracking().Where(x => x.Id == sendingIpId).Select(x => x.Address).SingleAsync(ct)).ToString();
        var recorded = 0;
        foreach (var (alertEvent, state) in AlertDetection.Diagnosis(before, row, evidence, address))
        {
            if (await AlertEvents.RecordAsync(db, alertEvent, now, ct, state) && state == AlertEventState.New) recorded++;
        }

        await db.IpDiagnosisRequests.Where(r => r.SendingIpId == sendingIpId && r.RequestedAt <= now).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        if (recorded > 0)
        {
            await alerts.ProcessAsync(ct);
        }

        // A new block after a case ended "unblocked" reopens that case (after the commit, from the case service's own
        // connection); the status then counts it (the IP list counts open cases from the cases themselves).
        if (row is { Health: IpHealth.Blocked, BlockedBy: { } target, BlockedSince: { } since }
            && await cases.ReopenIfBlockedAgainAsync(sendingIpId, target, since, ct) is not null)
        {
            row.OpenCases = await db.DelistingCases.CountAsync(c => c.SendingIpId == sendingIpId && c.State != DelistingCaseState.Resolved, ct);
            await db.SaveChangesAsync(ct);
        }

        LogDiagnosed(sendingIpId, row.Health, planned.Count, openItems);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending IP {SendingIpId} no longer exists: nothing to diagnose")]
    private partial void LogIpGone(long sendingIpId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Diagnosed sending IP {SendingIpId}: {Health}, {CauseCount} causes, {OpenItems} open items")]
    private partial void LogDiagnosed(long sendingIpId, IpHealth health, int causeCount, int openItems);
}
