using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Remediation;

/// <summary>
/// The hourly fan-out ("diagnosis:all-ips"): enqueues one <see cref="IpDiagnosisJob"/> per sending IP, so the 24-hour and 7-day
/// windows of the status rows move on even when no new evidence arrives. A second fan-out while one runs is skipped.
/// </summary>
public sealed partial class DiagnoseAllIpsJob(DeliverabilityDbContext db, IpDiagnosisRequests requests, ILogger<DiagnoseAllIpsJob> logger)
{
    [DisableConcurrentExecution("diagnosis:all-ips", 0)]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [Queue(JobQueues.Default)]
    public async Task RunAsync(CancellationToken ct)
    {
        var ids = await db.SendingIps.AsNoTracking().OrderBy(x => x.Id).Select(x => x.Id).ToListAsync(ct);
        await requests.RefreshAsync(ids, ct);
        LogFannedOut(ids.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Enqueued the diagnosis of {IpCount} sending IPs")]
    private partial void LogFannedOut(int ipCount);
}
