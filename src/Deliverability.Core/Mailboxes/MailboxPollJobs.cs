using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Mailboxes;

/// <summary>Polls one mailbox (Hangfire queue mailboxes). Two runs never poll one mailbox at once (<see cref="MailboxPolling"/>'s claim).</summary>
public sealed class MailboxPollJob(MailboxPolling polling)
{
    [Queue(JobQueues.Mailboxes)]
    [AutomaticRetry(Attempts = 0)] // The next due poll is the retry; a failure is on the mailbox's row.
    public Task RunAsync(long mailboxId, CancellationToken ct) => polling.PollAsync(mailboxId, ct);
}

/// <summary>
/// Every minute (recurring job <see cref="RecurringJobs.PollDueMailboxes"/>): queues a poll of each mailbox whose poll
/// interval has passed since its last poll. One recurring job for all mailboxes, so a mailbox added from the CLI or
/// another instance is polled without a restart.
/// </summary>
public sealed class MailboxPollDueJob(IDbContextFactory<DeliverabilityDbContext> dbFactory, MailboxPollRequests requests, TimeProvider clock)
{
    [Queue(JobQueues.Mailboxes)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var mailboxes = await db.MailboxSources.AsNoTracking().Select(m => new { m.Id, m.LastPolledAt, m.PollIntervalMinutes }).ToListAsync(ct);
        foreach (var m in mailboxes.Where(m => m.LastPolledAt is not { } last || last.AddMinutes(m.PollIntervalMinutes) <= now.AddSeconds(5)))
        {
            await requests.RequestAsync(m.Id, ct);
        }
    }
}

/// <summary>"Poll now" (the settings page) and the due polls: a poll job queued through <see cref="IJobScheduler"/>.</summary>
public sealed class MailboxPollRequests(IJobScheduler jobs)
{
    public Task RequestAsync(long mailboxId, CancellationToken ct) =>
        jobs.EnqueueAsync<MailboxPollJob>(j => j.RunAsync(mailboxId, CancellationToken.None), ct);
}
