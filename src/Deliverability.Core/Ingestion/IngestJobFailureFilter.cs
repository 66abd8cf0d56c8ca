using Hangfire;
using Hangfire.States;
using Hangfire.Storage;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// When Hangfire gives up on an ingest run (every retry failed, typically the database away for longer than the retries
/// last), the batch becomes Failed with the last error, instead of saying "Running" while nothing runs it.
/// Hangfire's filters are process-wide: the filter acts only on state changes of its own app's storage (two apps in one
/// process, as in the tests, each have theirs).
/// </summary>
public sealed class IngestJobFailureFilter(JobStorage storage, string connectionString, TimeProvider clock) : IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!ReferenceEquals(context.Storage, storage) || context.NewState is not FailedState failed || context.BackgroundJob.Job is not { } job || job.Type != typeof(IngestBatchJob)
            || job.Args.Count == 0 || job.Args[0] is not long batchId)
        {
            return;
        }

        var reason = $"The ingest job gave up after {IngestBatchJob.Attempts + 1} attempts: {IngestBatchJob.Explain(failed.Exception)}";
        try
        {
            IngestResumption.RecordFailureAsync(connectionString, batchId, reason, clock.GetUtcNow(), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Npgsql.NpgsqlException)
        {
            // The database is still away: the batch stays Running, and the resumption sweep queues it again once it is back.
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
