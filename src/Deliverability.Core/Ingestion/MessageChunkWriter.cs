using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Npgsql;
using NpgsqlTypes;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Writes one chunk of prepared messages in a single transaction with Npgsql binary COPY: raw messages (deduplicated
/// on SHA-256, also against concurrent uploads), bounce and complaint rows, per-message errors, and the resume point.
/// </summary>
public sealed class MessageChunkWriter(NpgsqlConnection connection, TimeProvider clock)
{
    private readonly NamedSendingIps _namedIps = new(connection);

    /// <summary>The claim (see <see cref="IngestBatchClaim"/>) every chunk must still hold to commit; null for runs without one.</summary>
    public string? Claim { get; init; }

    /// <summary>After a refused write: a connection the failure left broken is opened again, so the next write can go on.</summary>
    public async Task RecoverConnectionAsync(CancellationToken ct)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            await connection.CloseAsync();
            await connection.OpenAsync(ct);
        }
    }

    /// <summary>Which of these hashes are already stored.</summary>
    public async Task<HashSet<string>> FindStoredAsync(IEnumerable<byte[]> hashes, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT sha256 FROM raw_messages WHERE sha256 = ANY(@h)", connection);
        command.Parameters.AddWithValue("h", hashes.ToArray());
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stored.Add(Convert.ToHexString(reader.GetFieldValue<byte[]>(0)));
        }

        return stored;
    }

    public async Task<ChunkCounts> WriteAsync(
        long batchId, long fileId, IReadOnlyList<PreparedMessage> chunk, int resumeOrdinal, long processedBytes,
        SendingIpAttributor attributor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var trackedBefore = _namedIps.Mark();
        try
        {
            return await WriteInTransactionAsync(batchId, fileId, chunk, resumeOrdinal, processedBytes, attributor, now, ct);
        }
        catch
        {
            // IPs this transaction added to sending_ips are gone with it: forget their ids.
            _namedIps.ForgetSince(trackedBefore);
            throw;
        }
    }

    private async Task<ChunkCounts> WriteInTransactionAsync(
        long batchId, long fileId, IReadOnlyList<PreparedMessage> chunk, int resumeOrdinal, long processedBytes,
        SendingIpAttributor attributor, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (Claim is not null)
        {
            // Locks the batch row for the chunk: a run that lost its claim cannot commit next to the one that took it.
            await using var holds = new NpgsqlCommand("SELECT 1 FROM ingest_batches WHERE id = @batch AND claimed_by = @claim FOR UPDATE", connection);
            holds.Parameters.AddWithValue("batch", batchId);
            holds.Parameters.AddWithValue("claim", Claim);
            if (await holds.ExecuteScalarAsync(ct) is null)
            {
                throw new IngestClaimLostException(batchId);
            }
        }

        await _namedIps.TrackAsync(chunk, now, ct);

        var fresh = chunk.Where(m => m is { Duplicate: false, Gzip: not null }).ToList();
        var ids = await InsertRawMessagesAsync(batchId, fresh, now, ct);
        foreach (var message in fresh.Where(m => !ids.ContainsKey(Convert.ToHexString(m.Sha256!))))
        {
            message.Duplicate = true; // stored by a concurrent upload between our check and our insert
        }

        var stored = fresh.Where(m => !m.Duplicate).Select(m => (ids[Convert.ToHexString(m.Sha256!)], batchId, m, attributor)).ToList();
        var (bounces, complaints) = await new ResultRowCopy(connection, _namedIps.IdOf).CopyAsync(stored, now, ct);
        if (bounces > 0)
        {
            // The timeline reads the hourly counts: they move with the bounces, in the same transaction.
            await CountHoursAsync(BounceHours.AddForMessagesSql, [.. stored.Select(m => m.Item1)], ct);
        }

        var errors = chunk.Where(m => m.ExtractError is not null || (!m.Duplicate && m.Parsed?.Kind is MessageKind.Unreadable or MessageKind.Empty)).ToList();
        // Messages that are not bounces are counted apart, but their reason is listed too: it tells the user what was skipped.
        var notes = errors.Concat(fresh.Where(m => !m.Duplicate && m.Parsed!.Kind == MessageKind.NotABounce)).ToList();
        await using (var errorCopy = await connection.BeginBinaryImportAsync(
                         "COPY ingest_errors (batch_id, file_id, message_index, message) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var message in notes)
            {
                await errorCopy.StartRowAsync(ct);
                await errorCopy.WriteAsync(batchId, NpgsqlDbType.Bigint, ct);
                await errorCopy.WriteAsync(fileId, NpgsqlDbType.Bigint, ct);
                await errorCopy.WriteAsync(message.Ordinal, NpgsqlDbType.Integer, ct);
                var text = message.ExtractError ?? message.Parsed!.Error ?? "unreadable";
                await WriteNullableAsync(errorCopy, PreparedMessage.Truncate($"{message.Path}: {text}", 2000), NpgsqlDbType.Text, ct);
            }

            await errorCopy.CompleteAsync(ct);
        }

        var counts = new ChunkCounts(
            Messages: chunk.Count,
            Parsed: fresh.Count(m => !m.Duplicate && m.Parsed!.Kind is MessageKind.Bounce or MessageKind.Feedback),
            Duplicates: chunk.Count(m => m.Duplicate),
            NotBounces: fresh.Count(m => !m.Duplicate && m.Parsed!.Kind is MessageKind.NotABounce or MessageKind.AutoReply),
            Errors: errors.Count,
            Bounces: bounces,
            Complaints: complaints);

        await using (var progress = new NpgsqlCommand("""
            UPDATE ingest_files SET processed_messages = @resume, message_count = @resume, error_count = error_count + @errors WHERE id = @file;
            UPDATE ingest_batches SET message_count = message_count + @messages, parsed_count = parsed_count + @parsed,
                duplicate_count = duplicate_count + @duplicates, not_bounce_count = not_bounce_count + @notBounces,
                error_count = error_count + @errors, bounce_count = bounce_count + @bounces, complaint_count = complaint_count + @complaints,
                processed_bytes = GREATEST(processed_bytes, @processedBytes)
            WHERE id = @batch;
            """, connection))
        {
            progress.Parameters.AddWithValue("resume", resumeOrdinal);
            progress.Parameters.AddWithValue("file", fileId);
            progress.Parameters.AddWithValue("batch", batchId);
            progress.Parameters.AddWithValue("messages", counts.Messages);
            progress.Parameters.AddWithValue("parsed", counts.Parsed);
            progress.Parameters.AddWithValue("duplicates", counts.Duplicates);
            progress.Parameters.AddWithValue("notBounces", counts.NotBounces);
            progress.Parameters.AddWithValue("errors", counts.Errors);
            progress.Parameters.AddWithValue("bounces", counts.Bounces);
            progress.Parameters.AddWithValue("complaints", counts.Complaints);
            progress.Parameters.AddWithValue("processedBytes", processedBytes);
            await progress.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return counts;
    }

    /// <summary>
    /// Re-parse: replaces the bounce and complaint rows of stored messages with what the current parser reads in them,
    /// in one transaction per chunk. The raw messages themselves are never touched, only their parse outcome.
    /// </summary>
    public async Task<(int Bounces, int Complaints)> RewriteAsync(
        IReadOnlyList<(long RawId, long BatchId, PreparedMessage Message, SendingIpAttributor Attributor)> messages, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await _namedIps.TrackAsync([.. messages.Select(m => m.Message)], now, ct);
        var ids = messages.Select(m => m.RawId).ToArray();
        // A person's "assign to IP" (source manual) is a decision, not a derived value: it survives the rebuild.
        await CountHoursAsync(BounceHours.SubtractForMessagesSql, ids, ct);
        await using (var delete = new NpgsqlCommand("""
            CREATE TEMP TABLE IF NOT EXISTS manual_attributions (raw_message_id bigint, recipient_index int, sending_ip_id bigint) ON COMMIT DELETE ROWS;
            INSERT INTO manual_attributions SELECT raw_message_id, recipient_index, sending_ip_id FROM bounces
                WHERE raw_message_id = ANY(@ids) AND sending_ip_source = @manual;
            DELETE FROM bounces WHERE raw_message_id = ANY(@ids);
            DELETE FROM complaints WHERE raw_message_id = ANY(@ids);
            """, connection))
        {
            delete.Parameters.AddWithValue("ids", ids);
            delete.Parameters.AddWithValue("manual", SendingIpSources.Manual);
            await delete.ExecuteNonQueryAsync(ct);
        }

        var counts = await new ResultRowCopy(connection, _namedIps.IdOf).CopyAsync(messages, now, ct);
        await using (var restore = new NpgsqlCommand("""
            UPDATE bounces b SET sending_ip_id = m.sending_ip_id, sending_ip_source = @manual
            FROM manual_attributions m WHERE b.raw_message_id = m.raw_message_id AND b.recipient_index = m.recipient_index
            """, connection))
        {
            restore.Parameters.AddWithValue("manual", SendingIpSources.Manual);
            await restore.ExecuteNonQueryAsync(ct);
        }

        await CountHoursAsync(BounceHours.AddForMessagesSql, ids, ct);
        await using (var update = new NpgsqlCommand("""
            UPDATE raw_messages r SET kind = u.kind, parse_error = u.parse_error, subject = COALESCE(u.subject, r.subject)
            FROM unnest(@ids, @kinds, @errors, @subjects) AS u(id, kind, parse_error, subject) WHERE r.id = u.id
            """, connection))
        {
            update.Parameters.AddWithValue("ids", ids);
            update.Parameters.AddWithValue("kinds", messages.Select(m => m.Message.Parsed!.Kind.ToString()).ToArray());
            // Plain parameters, not COPY: cleaned here like every other text (a NUL in a subject would fail the whole chunk).
            update.Parameters.AddWithValue("errors", messages.Select(m => StorableText.Clean(m.Message.Parsed!.Error is { } e ? PreparedMessage.Truncate(e, 1000) : null)).ToArray());
            update.Parameters.AddWithValue("subjects", messages.Select(m => StorableText.Clean(m.Message.Subject)).ToArray());
            await update.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return counts;
    }

    private async Task CountHoursAsync(string sql, long[] rawMessageIds, CancellationToken ct)
    {
        // PostgreSQL guesses a third of the bounces for "raw_message_id = ANY(1,000 ids)" (377,075 rows on 10M), and at that
        // cost it compiles the statement with JIT: 590 ms a chunk, against 10 ms for the statement itself. Off for the chunk.
        await using var command = new NpgsqlCommand("SET LOCAL jit = off;\n" + sql, connection);
        command.Parameters.AddWithValue("raw", rawMessageIds);
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<Dictionary<string, long>> InsertRawMessagesAsync(long batchId, List<PreparedMessage> fresh, DateTimeOffset now, CancellationToken ct)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        if (fresh.Count == 0)
        {
            return ids;
        }

        await using (var create = new NpgsqlCommand("""
            CREATE TEMP TABLE IF NOT EXISTS raw_messages_in (sha256 bytea, size int, gzip bytea, kind text, parse_error text, subject text) ON COMMIT DELETE ROWS
            """, connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY raw_messages_in (sha256, size, gzip, kind, parse_error, subject) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var m in fresh)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(m.Sha256!, NpgsqlDbType.Bytea, ct);
                await copy.WriteAsync(m.Size, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(m.Gzip!, NpgsqlDbType.Bytea, ct);
                await WriteNullableAsync(copy, m.Parsed!.Kind.ToString(), NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, m.Parsed.Error is null ? null : PreparedMessage.Truncate(m.Parsed.Error, 1000), NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, m.Subject, NpgsqlDbType.Text, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO raw_messages (sha256, size, gzip, first_batch_id, received_at, kind, parse_error, subject)
            SELECT DISTINCT ON (sha256) sha256, size, gzip, @batch, @now, kind, parse_error, subject FROM raw_messages_in
            ON CONFLICT (sha256) DO NOTHING
            RETURNING id, sha256
            """, connection);
        insert.Parameters.AddWithValue("batch", batchId);
        insert.Parameters.AddWithValue("now", now);
        await using var reader = await insert.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids[Convert.ToHexString(reader.GetFieldValue<byte[]>(1))] = reader.GetInt64(0);
        }

        return ids;
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) =>
        copy.WriteStorableAsync(value, type, ct);
}
