using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Hangfire;
using Microsoft.EntityFrameworkCore;

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
}

/// <summary>
/// At start-up, queues again every submitted batch that did not finish (the app was killed or restarted mid-way).
/// The job resumes from its last committed chunk, and a per-batch lock keeps two runs from overlapping.
/// </summary>
public sealed partial class IngestRecovery(IServiceScopeFactory scopes, ILogger<IngestRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliverabilityDbContext>();
        var unfinished = await db.IngestBatches.AsNoTracking()
            .Where(b => b.SubmittedAt != null && (b.Status == IngestStatus.Pending || b.Status == IngestStatus.Running))
            .Select(b => b.Id).ToListAsync(stoppingToken);
        var submission = scope.ServiceProvider.GetRequiredService<IngestSubmission>();
        foreach (var id in unfinished)
        {
            submission.Enqueue(id);
            LogResumed(id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued unfinished ingest batch {BatchId} again")]
    private partial void LogResumed(long batchId);
}
