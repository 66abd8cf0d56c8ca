using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Diagnoses a chunk of IPs of a refresh or full re-diagnosis, in batches of <see cref="BatchSize"/>, each batch in its own scope and transaction.
/// Only IPs whose request is still pending are diagnosed, so a retried chunk (or one that overlaps a later pass) does not
/// repeat finished work; when a batch fails, its IPs are diagnosed one by one, and an IP that fails keeps its request for the next refresh and does not stop the others.
/// </summary>
public sealed partial class IpDiagnosisChunkJob(DeliverabilityDbContext db, IServiceScopeFactory scopes, ILogger<IpDiagnosisChunkJob> logger)
{
    /// <summary>IPs diagnosed together in one transaction: their evidence is read with one query per kind.</summary>
    public const int BatchSize = 50;

    [AutomaticRetry(Attempts = 2)]
    [Queue(JobQueues.Diagnosis)]
    public async Task RunAsync(long[] sendingIpIds, CancellationToken ct)
    {
        var pending = await db.IpDiagnosisRequests.AsNoTracking().Where(r => sendingIpIds.Contains(r.SendingIpId))
            .OrderBy(r => r.SendingIpId).Select(r => r.SendingIpId).ToListAsync(ct);
        var failed = 0;
        foreach (var batch in pending.Chunk(BatchSize))
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IpDiagnosisJob>().DiagnoseManyAsync(batch, ct);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException && batch.Length > 1)
            {
                LogBatchFailed(e, batch.Length);
            }

            // One IP's failure must not cost the others their diagnosis: the batch is done again one IP at a time.
            foreach (var id in batch)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<IpDiagnosisJob>().DiagnoseAsync(id, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed++;
                    LogIpFailed(e, id);
                }
            }
        }

        LogChunkDone(pending.Count - failed, sendingIpIds.Length, failed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The diagnosis of sending IP {SendingIpId} failed; its request waits for the next refresh")]
    private partial void LogIpFailed(Exception e, long sendingIpId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The diagnosis of {BatchSize} sending IPs together failed; each is diagnosed on its own")]
    private partial void LogBatchFailed(Exception e, int batchSize);

    [LoggerMessage(Level = LogLevel.Information, Message = "Diagnosed {Diagnosed} of a chunk of {ChunkSize} sending IPs ({Failed} failed)")]
    private partial void LogChunkDone(int diagnosed, int chunkSize, int failed);
}
