using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Checks.Storage;

/// <summary>
/// The recurring fan-out ("checks:all-ips"): enqueues one <see cref="CheckIpJob"/> per sending IP with checks enabled.
/// A second fan-out while one runs is skipped, not queued: the lock has no wait and a failed attempt is deleted, not retried.
/// </summary>
public sealed partial class CheckAllIpsJob(DeliverabilityDbContext db, IBackgroundJobClient jobs, ILogger<CheckAllIpsJob> logger)
{
    [DisableConcurrentExecution("checks:all-ips", 0)]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [Queue(JobQueues.Checks)]
    public async Task RunAsync(CancellationToken ct)
    {
        var ids = await db.SendingIps.AsNoTracking().Where(x => x.ChecksEnabled).OrderBy(x => x.Id).Select(x => x.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            ct.ThrowIfCancellationRequested();
            jobs.Enqueue<CheckIpJob>(JobQueues.Checks, j => j.RunAsync(id, nameof(CheckTrigger.Scheduled), CancellationToken.None));
        }

        LogFannedOut(ids.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Enqueued DNS checks for {IpCount} sending IPs")]
    private partial void LogFannedOut(int ipCount);
}
