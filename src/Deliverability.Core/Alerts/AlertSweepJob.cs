using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Alerts;

/// <summary>
/// Every minute (recurring job <see cref="RecurringJobs.AlertsSweep"/>): records delisting deadlines due within 24 hours or
/// overdue, then lets <see cref="AlertStacking"/> send new events and the summaries of closed stacking windows.
/// </summary>
public sealed class AlertSweepJob(DeliverabilityDbContext db, AlertStacking stacking, TimeProvider clock)
{
    [AutomaticRetry(Attempts = 0)]
    [Queue(JobQueues.Alerts)]
    public async Task RunAsync(CancellationToken ct)
    {
        await RecordDeadlinesAsync(ct);
        await stacking.ProcessAsync(ct);
    }

    /// <summary>New events only (after a diagnosis or a check run recorded some).</summary>
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(JobQueues.Alerts)]
    public Task ProcessAsync(CancellationToken ct) => stacking.ProcessAsync(ct);

    public async Task<int> RecordDeadlinesAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await db.DelistingCases.AsNoTracking().Where(c => c.State != DelistingCaseState.Resolved)
            .Select(c => new { Case = c, Address = c.SendingIp!.Address }).ToListAsync(ct);
        var recorded = 0;
        foreach (var item in open)
        {
            if (AlertDetection.Deadline(item.Case, item.Address.ToString(), now) is { } e && await AlertEvents.RecordAsync(db, e, now, ct))
            {
                recorded++;
            }
        }

        return recorded;
    }
}

/// <summary>How jobs that recorded events ask for them to be sent: the stacking as a job of its own (at once in the CLI).</summary>
public sealed class AlertRequests(IJobScheduler jobs)
{
    public Task ProcessAsync(CancellationToken ct) => jobs.EnqueueAsync<AlertSweepJob>(j => j.ProcessAsync(CancellationToken.None), ct);
}
