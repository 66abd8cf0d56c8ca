using Deliverability.Core.Jobs;
using Npgsql;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// The one run that may read a batch: a lease in the batch's own row (claimed_by, claimed_until), renewed by a heartbeat
/// while the run lives. A run killed with kill -9, or cut off by a PostgreSQL restart, stops renewing it, so another worker
/// takes the batch over as soon as the lease runs out (seconds), instead of waiting out a lock. Every chunk checks the claim
/// inside its own transaction (<see cref="MessageChunkWriter"/>), so two runs never both write a batch.
/// Times come from the database clock: every instance of the app agrees on it.
/// </summary>
public sealed class IngestBatchClaim : IAsyncDisposable
{
    /// <summary>The claim the resumption sweep writes while a resume job waits in its queue; any run may take it over.</summary>
    public const string QueuedForResume = "queued for resume";

    private readonly string _connectionString;
    private readonly TimeSpan _lease;
    private readonly LeaseHeartbeat _heartbeat;

    private IngestBatchClaim(string connectionString, long batchId, string holder, TimeSpan lease)
    {
        _connectionString = connectionString;
        BatchId = batchId;
        Holder = holder;
        _lease = lease;
        _heartbeat = new LeaseHeartbeat(connectionString, lease, RenewAsync);
    }

    public long BatchId { get; }

    /// <summary>Who holds the claim: host, process and a run id, as written in claimed_by.</summary>
    public string Holder { get; }

    /// <summary>Cancelled when the claim was taken by another run (this one was too slow to renew it).</summary>
    public CancellationToken Lost => _heartbeat.Lost;

    public bool IsLost => _heartbeat.IsLost;

    /// <summary>Takes the batch when nobody holds it, its holder's lease ran out, or only a queued resume marks it; null otherwise.</summary>
    public static async Task<IngestBatchClaim?> TryTakeAsync(string connectionString, long batchId, TimeSpan lease, CancellationToken ct)
    {
        var holder = PreparedMessage.Truncate(LeaseHeartbeat.NewHolder(), 200);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var take = new NpgsqlCommand("""
            UPDATE ingest_batches SET claimed_by = @holder, claimed_until = clock_timestamp() + @lease
            WHERE id = @id AND status IN ('Pending', 'Running')
              AND (claimed_by IS NULL OR claimed_by = @queued OR claimed_until IS NULL OR claimed_until < clock_timestamp())
            """, connection);
        take.Parameters.AddWithValue("holder", holder);
        take.Parameters.AddWithValue("lease", lease);
        take.Parameters.AddWithValue("id", batchId);
        take.Parameters.AddWithValue("queued", QueuedForResume);
        return await take.ExecuteNonQueryAsync(ct) == 1 ? new IngestBatchClaim(connectionString, batchId, holder, lease) : null;
    }

    private async Task<bool> RenewAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var renew = new NpgsqlCommand(
            "UPDATE ingest_batches SET claimed_until = clock_timestamp() + @lease WHERE id = @id AND claimed_by = @holder", connection);
        renew.Parameters.AddWithValue("lease", _lease);
        renew.Parameters.AddWithValue("id", BatchId);
        renew.Parameters.AddWithValue("holder", Holder);
        return await renew.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Gives the batch back (finished, failed or stopped): another run may take it at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _heartbeat.DisposeAsync();
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            // A batch left unfinished (the app stopping, a failure Hangfire retries) is free at once: the resumption sweep
            // queues it on its next pass instead of waiting for a lease to run out.
            await using var release = new NpgsqlCommand("""
                UPDATE ingest_batches SET
                    claimed_by = CASE WHEN status IN ('Completed', 'Failed') THEN NULL ELSE claimed_by END,
                    claimed_until = CASE WHEN status IN ('Completed', 'Failed') THEN NULL ELSE clock_timestamp() END
                WHERE id = @id AND claimed_by = @holder
                """, connection);
            release.Parameters.AddWithValue("id", BatchId);
            release.Parameters.AddWithValue("holder", Holder);
            await release.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Not given back: the lease runs out by itself in seconds.
        }
    }
}

/// <summary>Another run took the batch over (this one stopped renewing its claim in time): this run stops writing.</summary>
public sealed class IngestClaimLostException(long batchId) : Exception($"Batch {batchId} is now read by another run.");
