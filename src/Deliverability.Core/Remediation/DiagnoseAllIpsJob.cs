using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Remediation;

/// <summary>
/// The hourly refresh ("diagnosis:all-ips") and the full re-diagnosis. The refresh diagnoses only the IPs <see cref="DiagnosisDue"/>
/// finds (evidence whose windows moved, requests not yet served, IPs without a status); the full run takes every IP (after a
/// re-parse, or when no refresh ran before). Both record a request per IP and the pass itself in one transaction, then queue
/// <see cref="IpDiagnosisChunkJob"/>s that the workers take in parallel; a chunk skips IPs already served, so a run that dies
/// half-way is finished by its retried chunks or the next refresh. A second pass while one is being planned is skipped.
/// </summary>
public sealed partial class DiagnoseAllIpsJob(DeliverabilityDbContext db, IpDiagnosisRequests requests, TimeProvider clock, ILogger<DiagnoseAllIpsJob> logger)
{
    [DisableConcurrentExecution("diagnosis:all-ips", 0)]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [Queue(JobQueues.Diagnosis)]
    public async Task RunAsync(CancellationToken ct) => await PlanAsync(full: false, ct);

    [DisableConcurrentExecution("diagnosis:all-ips", 0)]
    [AutomaticRetry(Attempts = 2)]
    [Queue(JobQueues.Diagnosis)]
    public async Task RunFullAsync(CancellationToken ct) => await PlanAsync(full: true, ct);

    /// <summary>Records the pass and its requests, queues the chunks; returns the IPs it found due.</summary>
    public async Task<IReadOnlyList<long>> PlanAsync(bool full, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = await db.IpDiagnosisScans.MaxAsync(s => (DateTimeOffset?)s.ScannedAt, ct);
        full |= since is null || since > now;
        var due = full
            ? await db.SendingIps.AsNoTracking().OrderBy(x => x.Id).Select(x => x.Id).ToListAsync(ct)
            : await DiagnosisDue.FindAsync(db, since!.Value, now, ct);

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await IpDiagnosisRequests.RecordAsync(db, [.. due], now, ct);
            db.IpDiagnosisScans.Add(new IpDiagnosisScan { ScannedAt = now, Full = full, DueIps = due.Count });
            await db.SaveChangesAsync(ct);
            // The latest pass is the one that counts; a few days of them say how the refresh has been doing.
            await db.IpDiagnosisScans.Where(s => s.ScannedAt < now.AddDays(-7)).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }

        await requests.EnqueueChunksAsync(due, ct);
        LogPlanned(full ? "full re-diagnosis" : "refresh", due.Count);
        return due;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Diagnosis {Kind}: {IpCount} sending IPs queued")]
    private partial void LogPlanned(string kind, int ipCount);
}
