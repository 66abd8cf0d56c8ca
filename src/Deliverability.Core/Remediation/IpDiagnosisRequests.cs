using System.Linq.Expressions;
using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Asks for IPs to be diagnosed after their evidence changed: an <see cref="IpDiagnosisJob"/> per IP through the scheduler
/// (Hangfire in the web app; at once in the CLI, so `deliverability ingest` or `check` leave the status rows current too).
/// Each request is also written to ip_diagnosis_requests first (when a database is given): a job that is lost or fails
/// leaves its row, and the hourly refresh diagnoses that IP again.
/// </summary>
public sealed class IpDiagnosisRequests(IJobScheduler jobs, IDbContextFactory<DeliverabilityDbContext>? dbFactory = null, TimeProvider? clock = null)
{
    /// <summary>IPs per job of a full re-diagnosis or an hourly refresh: big enough to spare Hangfire's per-job cost, small enough to spread over workers.</summary>
    public const int ChunkSize = 250;

    /// <summary>The IPs' evidence changed (bounces, complaints, logs, SNDS).</summary>
    public async Task RequestAsync(IEnumerable<long> sendingIpIds, CancellationToken ct)
    {
        var ids = await RecordAsync(sendingIpIds, ct);
        // A batch that touched thousands of IPs (an ESP's bounce mbox) asks for chunks, not a Hangfire job per IP; the chunks
        // read the recorded requests, so they need the database.
        if (dbFactory is not null && ids.Length >= ChunkSize)
        {
            await EnqueueChunksAsync(ids, ct);
            return;
        }

        foreach (var id in ids)
        {
            await jobs.EnqueueAsync<IpDiagnosisJob>(j => j.RunAsync(id, CancellationToken.None), ct);
        }
    }

    /// <summary>Checks, cases or ticks moved.</summary>
    public async Task RefreshAsync(IEnumerable<long> sendingIpIds, CancellationToken ct)
    {
        var ids = await RecordAsync(sendingIpIds, ct);
        foreach (var id in ids)
        {
            await jobs.EnqueueAsync<IpDiagnosisJob>(j => j.RefreshAsync(id, CancellationToken.None), ct);
        }
    }

    /// <summary>Every IP, after a re-parse rewrote the bounces: one job that records the requests and queues them in chunks.</summary>
    public Task RediagnoseAllAsync(CancellationToken ct) =>
        jobs.EnqueueAsync<DiagnoseAllIpsJob>(j => j.RunFullAsync(CancellationToken.None), ct);

    /// <summary>Queues the diagnosis of requested IPs in chunks (<see cref="IpDiagnosisChunkJob"/>); their requests are already recorded.</summary>
    internal Task EnqueueChunksAsync(IReadOnlyList<long> sendingIpIds, CancellationToken ct) =>
        jobs.EnqueueEachAsync(
            sendingIpIds.Chunk(ChunkSize).Select(ChunkRun).ToList(), ct);

    private static Expression<Func<IpDiagnosisChunkJob, Task>> ChunkRun(long[] chunk) => j => j.RunAsync(chunk, CancellationToken.None);

    private async Task<long[]> RecordAsync(IEnumerable<long> sendingIpIds, CancellationToken ct)
    {
        var ids = sendingIpIds.Distinct().Order().ToArray();
        if (dbFactory is null || ids.Length == 0) return ids;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RecordAsync(db, ids, (clock ?? TimeProvider.System).GetUtcNow(), ct);
        return ids;
    }

    /// <summary>Writes (or moves forward) the pending request of each IP, in the caller's transaction when one is open.</summary>
    internal static Task RecordAsync(DeliverabilityDbContext db, long[] sendingIpIds, DateTimeOffset at, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("""
            INSERT INTO ip_diagnosis_requests (sending_ip_id, requested_at)
            SELECT u.ip, @at FROM unnest(@ids) AS u(ip) WHERE EXISTS (SELECT 1 FROM sending_ips s WHERE s.id = u.ip)
            ON CONFLICT (sending_ip_id) DO UPDATE SET requested_at = GREATEST(ip_diagnosis_requests.requested_at, excluded.requested_at)
            """, [new NpgsqlParameter("ids", sendingIpIds), new NpgsqlParameter("at", at)], ct);
}
