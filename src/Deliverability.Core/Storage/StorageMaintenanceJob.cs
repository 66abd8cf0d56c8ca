using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Storage;

/// <summary>
/// Daily (<see cref="RecurringJobs.StorageMaintenance"/>): creates the bounce partitions of this month and the next
/// <see cref="BouncePartitions.MonthsAhead"/>, then applies the bounce retention set in Settings, if any.
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

        var months = await db.StorageSettings.AsNoTracking().Select(s => s.BounceRetentionMonths).FirstOrDefaultAsync(ct);
        if (months is not { } kept) return;

        var plan = await BouncePartitions.PlanAsync(db, kept, now, ct);
        if (plan.IsEmpty) return;
        var result = await BouncePartitions.ApplyAsync(db, plan, ct);
        LogRetention(plan.Cutoff, result.PartitionsDropped, result.RowsRemoved, result.RawMessagesRemoved);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created bounce partitions {Partitions}")]
    private partial void LogCreated(IReadOnlyList<string> partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bounce retention before {Cutoff:O}: {Partitions} partitions dropped, {Rows} bounces and {RawMessages} raw messages removed")]
    private partial void LogRetention(DateTimeOffset cutoff, int partitions, long rows, long rawMessages);
}
