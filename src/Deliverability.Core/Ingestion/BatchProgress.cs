using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ingestion;

public sealed record BatchFileStatus(string Name, long Size, string Kind, string Status, int Messages, int Errors, string? Error);

public sealed record BatchStatus(
    long BatchId, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, double Progress,
    int Files, int Messages, int Parsed, int Duplicates, int NotBounces, int Errors, int Bounces, int Complaints, int LogEntries, int SndsRows, int Reports,
    IReadOnlyList<BatchFileStatus> FileStatuses, IReadOnlyList<string> Problems, int FailedFiles = 0, string? Failure = null);

/// <summary>Who made a batch, how, with which default IP, and why it failed (when it did).</summary>
public sealed record BatchHeader(string CreatedBy, string Source, string? DefaultIp, string? Failure);

/// <summary>A batch as the API and the batch page show it: counts, progress, files and problems.</summary>
public sealed class BatchProgress(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    /// <summary>Null when there is no such batch.</summary>
    public async Task<BatchStatus?> StatusAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var b = await db.IngestBatches.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (b is null)
        {
            return null;
        }

        var files = await db.IngestFiles.AsNoTracking().Where(f => f.BatchId == id).OrderBy(f => f.Position)
            .Select(f => new BatchFileStatus(f.Name, f.Size, f.Kind.ToString(), f.Status.ToString(), f.ProcessedMessages, f.ErrorCount, f.Error))
            .ToListAsync(ct);
        var problems = await db.IngestErrors.AsNoTracking().Where(e => e.BatchId == id).OrderBy(e => e.FileId).ThenBy(e => e.MessageIndex)
            .Select(e => e.Message).Take(200).ToListAsync(ct);
        var progress = b.Status is IngestStatus.Completed or IngestStatus.Failed ? 1.0 : b.TotalBytes == 0 ? 0 : Math.Min(1.0, b.ProcessedBytes / (double)b.TotalBytes);
        return new BatchStatus(b.Id, b.Status.ToString(), b.CreatedAt, b.FinishedAt, progress, b.FileCount, b.MessageCount, b.ParsedCount,
            b.DuplicateCount, b.NotBounceCount, b.ErrorCount, b.BounceCount, b.ComplaintCount, b.LogEntryCount, b.SndsRowCount, b.ReportCount, files, problems,
            files.Count(f => f.Status == nameof(IngestStatus.Failed)), b.Failure);
    }

    public async Task<BatchHeader?> HeaderAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var header = await db.IngestBatches.AsNoTracking().Where(b => b.Id == id)
            .Select(b => new { b.CreatedBy, b.Source, b.Failure, Ip = b.DefaultSendingIp == null ? null : b.DefaultSendingIp.Address })
            .SingleOrDefaultAsync(ct);
        return header is null ? null : new BatchHeader(header.CreatedBy, header.Source.ToString(), header.Ip?.ToString(), header.Failure);
    }
}
