using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Diagnoses a chunk of IPs of a refresh or full re-diagnosis, one after the other, each in its own scope and transaction.
/// Only IPs whose request is still pending are diagnosed, so a retried chunk (or one that overlaps a later pass) does not
/// repeat finished work; an IP that fails keeps its request for the next refresh and does not stop the others.
/// </summary>
public sealed partial class IpDiagnosisChunkJob(DeliverabilityDbContext db, IServiceScopeFactory scopes, ILogger<IpDiagnosisChunkJob> logger)
{
    [AutomaticRetry(Attempts = 2)]
    [Queue(JobQueues.Diagnosis)]
    public async Task RunAsync(long[] sendingIpIds, CancellationToken ct)
    {
        var pending = await db.IpDiagnosisRequests.AsNoTracking().Where(r => sendingIpIds.Contains(r.SendingIpId))
            .OrderBy(r => r.SendingIpId).Select(r => r.SendingIpId).ToListAsync(ct);
        var failed = 0;
        foreach (var id in pending)
        {
            ct.ThrowIfCancellationRequested();
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

        LogChunkDone(pending.Count - failed, sendingIpIds.Length, failed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The diagnosis of sending IP {SendingIpId} failed; its request waits for the next refresh")]
    private partial void LogIpFailed(Exception e, long sendingIpId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Diagnosed {Diagnosed} of a chunk of {ChunkSize} sending IPs ({Failed} failed)")]
    private partial void LogChunkDone(int diagnosed, int chunkSize, int failed);
}
