using System.IO.Compression;
using System.Security.Cryptography;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Receives uploads from the page, the API and the CLI: creates the batch and stores every file (compressed)
/// before anything is parsed, so a crash later never loses what the user sent.
/// </summary>
public sealed class IngestUploads(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock, IOptions<IngestOptions> options)
{
    public async Task<long> CreateBatchAsync(string createdBy, IngestSource source, long? defaultSendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = new IngestBatch
        {
            CreatedBy = createdBy,
            Source = source,
            Status = IngestStatus.Pending,
            CreatedAt = clock.GetUtcNow(),
            DefaultSendingIpId = defaultSendingIpId,
        };
        db.IngestBatches.Add(batch);
        await db.SaveChangesAsync(ct);
        return batch.Id;
    }

    /// <summary>Stores one file of a batch. Throws <see cref="InvalidUploadException"/> (nothing stored) when it is over the size limit.</summary>
    public async Task<long> AddFileAsync(long batchId, string name, Stream content, CancellationToken ct)
    {
        var limit = options.Value.MaxFileBytes;
        var safeName = SafeName(name);
        await using var compressed = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        long size = 0;
        byte[] sha;
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > limit)
                    {
                        throw new InvalidUploadException(Ingest.TooLarge(safeName, limit));
                    }

                    hash.AppendData(buffer, 0, read);
                    await gzip.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }

            sha = hash.GetHashAndReset();
        }

        compressed.Position = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var insert = new NpgsqlCommand("""
            WITH f AS (
                INSERT INTO ingest_files (batch_id, position, name, size, sha256, kind, status, message_count, processed_messages, error_count)
                SELECT @batch, COALESCE(MAX(position) + 1, 0), @name, @size, @sha, 'Unknown', 'Pending', 0, 0, 0 FROM ingest_files WHERE batch_id = @batch
                RETURNING id)
            INSERT INTO ingest_file_contents (file_id, gzip) SELECT id, @content FROM f RETURNING file_id;
            """, connection, tx);
        insert.Parameters.AddWithValue("batch", batchId);
        insert.Parameters.AddWithValue("name", safeName);
        insert.Parameters.AddWithValue("size", size);
        insert.Parameters.AddWithValue("sha", sha);
        insert.Parameters.Add(new NpgsqlParameter("content", NpgsqlDbType.Bytea) { Value = compressed, Size = (int)Math.Min(int.MaxValue, compressed.Length) });
        var fileId = (long)(await insert.ExecuteScalarAsync(ct))!;
        await using (var count = new NpgsqlCommand(
                         "UPDATE ingest_batches SET file_count = file_count + 1, total_bytes = total_bytes + @size WHERE id = @batch", connection, tx))
        {
            count.Parameters.AddWithValue("batch", batchId);
            count.Parameters.AddWithValue("size", size);
            await count.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return fileId;
    }

    /// <summary>Records a file that was refused before it was stored (too large), so the batch page can show why.</summary>
    public async Task AddRefusedFileAsync(long batchId, string name, long size, string error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var position = await db.IngestFiles.Where(f => f.BatchId == batchId).Select(f => (int?)f.Position).MaxAsync(ct) ?? -1;
        db.IngestFiles.Add(new IngestFile
        {
            BatchId = batchId,
            Position = position + 1,
            Name = SafeName(name),
            Size = size,
            Sha256 = [],
            Status = IngestStatus.Failed,
            Error = PreparedMessage.Truncate(error, 2000),
        });
        await db.SaveChangesAsync(ct);
        await db.IngestBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.FileCount, b => b.FileCount + 1)
            .SetProperty(b => b.ErrorCount, b => b.ErrorCount + 1), ct);
    }

    /// <summary>Marks the batch complete on the receiving side; the caller then queues (or runs) <see cref="IngestBatchJob"/>.</summary>
    public async Task MarkSubmittedAsync(long batchId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.IngestBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s.SetProperty(b => b.SubmittedAt, clock.GetUtcNow()), ct);
    }

    /// <summary>
    /// An upload that ends before it was submitted (the client went away, the request broke, it held nothing): a batch with
    /// stored files is submitted so they are read (true: the caller queues it), an empty one becomes Failed with the reason.
    /// Never left "Pending" for good.
    /// </summary>
    public async Task<bool> SettleUnsubmittedAsync(long batchId, string reasonWhenEmpty, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        if (await db.IngestFiles.AnyAsync(f => f.BatchId == batchId, ct))
        {
            await MarkSubmittedAsync(batchId, ct);
            return true;
        }

        await db.IngestBatches.Where(b => b.Id == batchId && b.Status == IngestStatus.Pending && b.SubmittedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, IngestStatus.Failed)
            .SetProperty(b => b.Failure, reasonWhenEmpty)
            .SetProperty(b => b.FinishedAt, now), ct);
        return false;
    }

    private static string SafeName(string name)
    {
        // Written with plain SQL below, so cleaned here (a NUL in a file name would fail the insert).
        var trimmed = string.IsNullOrWhiteSpace(name) ? "upload" : StorableText.Clean(name.Trim().Replace('\\', '/'))!;
        return trimmed.Length <= 1024 ? trimmed : trimmed[^1024..];
    }
}
