using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ingestion;

/// <summary>The uploads list: ingest batches newest first, a page at a time.</summary>
public sealed class RecentBatches(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public sealed record Row(long Id, DateTimeOffset CreatedAt, string CreatedBy, IngestSource Source, IngestStatus Status,
        int Files, int FailedFiles, int Messages, int Bounces, int Errors);

    public sealed record Page(int Total, IReadOnlyList<Row> Rows);

    public async Task<Page> PageAsync(int page, int pageSize, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await db.IngestBatches.CountAsync(ct);
        var rows = await db.IngestBatches.AsNoTracking()
            .OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(b => new Row(b.Id, b.CreatedAt, b.CreatedBy, b.Source, b.Status, b.FileCount,
                b.Files.Count(f => f.Status == IngestStatus.Failed), b.MessageCount, b.BounceCount, b.ErrorCount))
            .ToListAsync(ct);
        return new Page(total, rows);
    }
}
