using Microsoft.Extensions.Options;
using Npgsql;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Finds the batches that need a run and nobody is running: a batch whose run died (its claim ran out), a submitted batch
/// whose job was lost, an upload cut off half-way. Run by every job server every few seconds; the update marks each batch
/// it hands out, so two servers never queue the same batch twice. Finished and failed batches are never touched.
/// </summary>
public sealed class IngestResumption(string connectionString, IOptions<IngestOptions> options, TimeProvider clock)
{
    /// <summary>How long a queued resume marks its batch; a resume job lost in between is queued again after it.</summary>
    private static readonly TimeSpan QueuedMark = TimeSpan.FromMinutes(10);

    public const string AbandonedWithoutFiles = "The upload was cut off before any file was stored.";

    /// <summary>Settles abandoned uploads, then marks and returns the batches to queue for resume.</summary>
    public async Task<IReadOnlyList<long>> TakeBatchesToResumeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var abandonedBefore = now.AddMinutes(-options.Value.AbandonedUploadMinutes);
        await using (var failEmpty = new NpgsqlCommand("""
            UPDATE ingest_batches SET status = 'Failed', failure = @failure, finished_at = @now
            WHERE status = 'Pending' AND submitted_at IS NULL AND created_at < @abandoned AND file_count = 0
            """, connection))
        {
            failEmpty.Parameters.AddWithValue("failure", AbandonedWithoutFiles);
            failEmpty.Parameters.AddWithValue("now", now);
            failEmpty.Parameters.AddWithValue("abandoned", abandonedBefore);
            await failEmpty.ExecuteNonQueryAsync(ct);
        }

        // An abandoned upload with stored files is read (what arrived), and a batch whose run died or whose job was lost is resumed.
        await using var take = new NpgsqlCommand("""
            UPDATE ingest_batches SET submitted_at = @now, claimed_by = @queued, claimed_until = clock_timestamp() + @mark
            WHERE status = 'Pending' AND submitted_at IS NULL AND created_at < @abandoned AND file_count > 0
            RETURNING id;
            UPDATE ingest_batches SET claimed_by = @queued, claimed_until = clock_timestamp() + @mark
            WHERE status IN ('Pending', 'Running') AND submitted_at IS NOT NULL
              AND (claimed_until < clock_timestamp() OR (claimed_by IS NULL AND submitted_at < @unclaimed))
            RETURNING id;
            """, connection);
        take.Parameters.AddWithValue("now", now);
        take.Parameters.AddWithValue("abandoned", abandonedBefore);
        take.Parameters.AddWithValue("queued", IngestBatchClaim.QueuedForResume);
        take.Parameters.AddWithValue("mark", QueuedMark);
        take.Parameters.AddWithValue("unclaimed", now.AddMinutes(-options.Value.UnclaimedBatchMinutes));
        var ids = new List<long>();
        await using var reader = await take.ExecuteReaderAsync(ct);
        do
        {
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
            }
        }
        while (await reader.NextResultAsync(ct));

        return ids;
    }

    /// <summary>
    /// Records why a batch could not be read: the page and the API show the reason, and nothing queues it again.
    /// A batch that finished in the meantime keeps its outcome.
    /// </summary>
    public static async Task RecordFailureAsync(string connectionString, long batchId, string reason, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var fail = new NpgsqlCommand("""
            UPDATE ingest_batches SET status = 'Failed', failure = @reason, finished_at = @now, processed_bytes = total_bytes,
                claimed_by = NULL, claimed_until = NULL
            WHERE id = @id AND status IN ('Pending', 'Running')
            """, connection);
        fail.Parameters.AddWithValue("reason", Data.StorableText.Clean(PreparedMessage.Truncate(reason, 2000))!);
        fail.Parameters.AddWithValue("now", now);
        fail.Parameters.AddWithValue("id", batchId);
        await fail.ExecuteNonQueryAsync(ct);
    }
}
