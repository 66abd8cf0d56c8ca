using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Remediation;
using Hangfire;

namespace Deliverability.Core.Jobs;

/// <summary>
/// Every recurring job, in one table: stable ids ("area:what"), cron from configuration, UTC. <see cref="Sync"/> writes them to
/// Hangfire's storage (the web app does it at start-up) and removes the ids listed in <see cref="Retired"/>.
/// </summary>
public static class RecurringJobs
{
    /// <summary>Checks every sending IP with checks enabled; cron Checks:Schedule (default every 6 hours).</summary>
    public const string CheckAllIps = "checks:all-ips";

    /// <summary>Hourly: diagnoses the sending IPs whose windows moved or whose requests were not served (<see cref="DiagnosisDue"/>).</summary>
    public const string DiagnoseAllIps = "diagnosis:all-ips";

    /// <summary>Minute 17 of every hour, away from the top of the hour when other schedules fire.</summary>
    public const string DiagnoseAllIpsCron = "17 * * * *";

    /// <summary>Queues a poll of each mailbox source whose poll interval has passed; every minute.</summary>
    public const string PollDueMailboxes = "mailboxes:poll-due";
    /// <summary>Every minute: delisting deadlines due or overdue, new events, and summaries of closed stacking windows.</summary>
    public const string AlertsSweep = "alerts:sweep";

    /// <summary>Daily at 03:41 UTC: bounce partitions created ahead, then the bounce retention (<see cref="Storage.StorageMaintenanceJob"/>).</summary>
    public const string StorageMaintenance = "storage:maintenance";

    /// <summary>Ids used by earlier versions: removed on sync.</summary>
    public static IReadOnlyList<string> Retired { get; } = [];

    public static void Sync(IRecurringJobManager recurring, ChecksOptions checks)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        ArgumentNullException.ThrowIfNull(checks);
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Relaxed };

        if (string.IsNullOrWhiteSpace(checks.Schedule))
        {
            recurring.RemoveIfExists(CheckAllIps);
        }
        else
        {
            recurring.AddOrUpdate<CheckAllIpsJob>(CheckAllIps, JobQueues.Checks, j => j.RunAsync(CancellationToken.None), checks.Schedule.Trim(), options);
        }

        recurring.AddOrUpdate<DiagnoseAllIpsJob>(DiagnoseAllIps, JobQueues.Diagnosis, j => j.RunAsync(CancellationToken.None), DiagnoseAllIpsCron, options);

        recurring.AddOrUpdate<Mailboxes.MailboxPollDueJob>(PollDueMailboxes, JobQueues.Mailboxes, j => j.RunAsync(CancellationToken.None), Cron.Minutely(), options);
        recurring.AddOrUpdate<Alerts.AlertSweepJob>(AlertsSweep, JobQueues.Alerts, j => j.RunAsync(CancellationToken.None), Cron.Minutely(), options);
        recurring.AddOrUpdate<Storage.StorageMaintenanceJob>(StorageMaintenance, JobQueues.Default, j => j.RunAsync(CancellationToken.None), "41 3 * * *", options);

        foreach (var id in Retired)
        {
            recurring.RemoveIfExists(id);
        }
    }
}
