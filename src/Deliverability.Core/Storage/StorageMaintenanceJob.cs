using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Storage;

/// <summary>
/// Daily (<see cref="RecurringJobs.StorageMaintenance"/>): creates the bounce partitions of this month and the next
/// <see cref="BouncePartitions.MonthsAhead"/>, then applies the retentions set in Settings, if any: bounces (whole partitions),
/// then MTA log lines and check results (<see cref="EvidenceRetention"/>).
/// </summary>
public sealed partial class StorageMaintenanceJob(DeliverabilityDbContext db, TimeProvider clock, ILogger<StorageMaintenanceJob> logger)
{
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [Queue(JobQueues.Default)]
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var created = await BouncePartitions.EnsureAheadAsync(db, now, ct);
        if (created.Count > 0) LogCreated(created);

        var settings = await db.StorageSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        if (settings?.BounceRetentionMonths is { } kept)
        {
            var plan = await BouncePartitions.PlanAsync(db, kept, now, ct);
            if (!plan.IsEmpty)
            {
                var result = await BouncePartitions.ApplyAsync(db, plan, ct);
                LogRetention(plan.Cutoff, result.PartitionsDropped, result.RowsRemoved, result.RawMessagesRemoved);
            }
        }

        foreach (var kind in Enum.GetValues<RetainedEvidence>())
        {
            if (EvidenceRetention.MonthsOf(settings, kind) is not { } months) continue;
            var cutoff = EvidenceRetention.CutoffOf(now, months);
            var removed = await EvidenceRetention.ApplyAsync(db, kind, cutoff, ct);
            if (removed > 0) LogEvidenceRetention(kind, cutoff, removed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created bounce partitions {Partitions}")]
    private partial void LogCreated(IReadOnlyList<string> partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bounce retention before {Cutoff:O}: {Partitions} partitions dropped, {Rows} bounces and {RawMessages} raw messages removed")]
    private partial void LogRetention(DateTimeOffset cutoff, int partitions, long rows, long rawMessages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention of {Kind} before {Cutoff:O}: {Rows} rows removed")]
    private partial void LogEvidenceRetention(RetainedEvidence kind, DateTimeOffset cutoff, long rows);
}
