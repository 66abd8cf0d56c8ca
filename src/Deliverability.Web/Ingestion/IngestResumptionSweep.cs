using Deliverability.Core.Ingestion;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Deliverability.Web.Ingestion;

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
