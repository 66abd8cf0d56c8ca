using Deliverability.Core.Ingestion;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Deliverability.Web.Ingestion;

/// <summary>Hands a fully stored batch to Hangfire; the page, the API and start-up recovery all go through here.</summary>
public sealed class IngestSubmission(IngestUploads uploads, IBackgroundJobClient jobs)
{
    public async Task SubmitAsync(long batchId, CancellationToken ct)
    {
        await uploads.MarkSubmittedAsync(batchId, ct);
        Enqueue(batchId);
    }

    public string Enqueue(long batchId) => jobs.Enqueue<IngestBatchJob>(j => j.RunAsync(batchId, CancellationToken.None));

    /// <summary>An upload that ended early: what was stored is read; a batch with nothing stored is Failed with <paramref name="reasonWhenEmpty"/>.</summary>
    public async Task SettleInterruptedAsync(long batchId, string reasonWhenEmpty)
    {
        if (await uploads.SettleUnsubmittedAsync(batchId, reasonWhenEmpty, CancellationToken.None))
        {
            Enqueue(batchId);
        }
    }
}

/// <summary>
/// Every few seconds (and at start-up), queues the batches that need a run and have none: a run that died (kill -9, a
/// PostgreSQL restart cut it off) is taken over once its claim runs out, a lost job is replaced, an abandoned upload is
/// settled. Resumed batches go to their own queue and workers. Finished and failed batches are never queued again.
/// </summary>
public sealed partial class IngestResumptionSweep(
    IConfiguration configuration, IOptions<IngestOptions> options, TimeProvider clock, IBackgroundJobClient jobs, ILogger<IngestResumptionSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var resumption = new IngestResumption(Core.DependencyInjection.GetConnectionString(configuration), options, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var id in await resumption.TakeBatchesToResumeAsync(stoppingToken))
                {
                    jobs.Enqueue<IngestBatchJob>(j => j.ResumeAsync(id, CancellationToken.None));
                    LogResumed(id);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or Hangfire's storage is away for a moment: never stop the host for it, look again shortly.
                LogSweepFailed(e);
            }

            await Task.Delay(TimeSpan.FromSeconds(options.Value.ResumeSweepSeconds), clock, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued ingest batch {BatchId} to resume")]
    private partial void LogResumed(long batchId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for ingest batches to resume; trying again shortly")]
    private partial void LogSweepFailed(Exception e);
}
