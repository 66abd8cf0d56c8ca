using Deliverability.Core.Bounces;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Reads one stored file of messages (a message, an mbox, an archive) of a batch in chunks: each chunk is hashed, parsed in
/// parallel and written with its resume point in one transaction (<see cref="MessageChunkWriter"/>), from the last one committed.
/// </summary>
internal sealed partial class MessageFileIngest(string connectionString, BounceParser parser, TimeProvider clock, IngestOptions options, ILogger logger,
    Func<ExtractedMessage, CancellationToken, Task>? attachments = null)
{
    public async Task IngestAsync(IngestBatch batch, IngestFile file, FileStream content, SendingIpAttributor attributor, IngestBatchClaim claim,
        long doneBytes, CancellationToken ct)
    {
        await using var lookup = new NpgsqlConnection(connectionString);
        await lookup.OpenAsync(ct);
        await using var writing = new NpgsqlConnection(connectionString);
        await writing.OpenAsync(ct);
        var lookupWriter = new MessageChunkWriter(lookup, clock);
        var writer = new MessageChunkWriter(writing, clock) { Claim = claim.Holder };
        var reader = new UploadedFileReader(options);
        var chunkSize = options.ChunkSize;
        var pending = new List<(PreparedMessage Message, byte[]? Raw)>(chunkSize);

        // Chunk k is written (on its own connection) while chunk k+1 is read, hashed and parsed: the CPU work and the
        // database work overlap. Writes stay in order, so the resume point only ever moves forward.
        Task write = Task.CompletedTask;
        var found = 0;
        async Task FlushAsync()
        {
            var chunk = await PrepareChunkAsync(lookupWriter, pending, ct);
            pending = new List<(PreparedMessage Message, byte[]? Raw)>(chunkSize);
            var processedBytes = doneBytes + (content.Length == 0 ? file.Size : (long)(file.Size * (double)content.Position / content.Length));
            await write;
            write = WriteChunkAsync(writer, batch.Id, file.Id, chunk, processedBytes, attributor, ct);
        }

        try
        {
            await foreach (var extracted in reader.ReadMessagesAsync(content, file.Name, ct))
            {
                found++;
                if (extracted.Ordinal < file.ProcessedMessages)
                {
                    continue;
                }

                if (attachments is not null)
                {
                    // A receiver's report mail: its reports are stored (once each) besides the message itself.
                    await attachments(extracted, ct);
                }

                pending.Add((PreparedMessage.From(extracted), extracted.Raw));
                if (pending.Count >= chunkSize)
                {
                    await FlushAsync();
                }
            }

            if (pending.Count > 0)
            {
                await FlushAsync();
            }
        }
        catch
        {
            // Let the chunk in flight finish (or fail) before its connection closes; the first error is the one reported.
            try
            {
                await write;
            }
            catch (Exception)
            {
            }

            throw;
        }

        await write;
        if (found == 0)
        {
            // Never a file that silently brings nothing: say so on the file.
            throw new InvalidUploadException($"{file.Name} holds no message that could be read ({IngestBatchJob.Describe(file.Kind)}, {UploadedFileReader.FormatBytes(file.Size)}).");
        }
    }

    /// <summary>
    /// Writes a chunk in one transaction; when PostgreSQL refuses it, writes its messages one by one, and a message that
    /// cannot be stored is recorded as that message's error: one bad message never costs the other 999.
    /// </summary>
    private async Task WriteChunkAsync(MessageChunkWriter writer, long batchId, long fileId, List<PreparedMessage> chunk, long processedBytes,
        SendingIpAttributor attributor, CancellationToken ct)
    {
        if (chunk.Count > 1)
        {
            try
            {
                await writer.WriteAsync(batchId, fileId, chunk, chunk[^1].Ordinal + 1, processedBytes, attributor, ct);
                return;
            }
            catch (Exception e) when (IsRefusal(e, ct))
            {
                LogChunkRefused(e, batchId, chunk[0].Ordinal, chunk[^1].Ordinal);
                await writer.RecoverConnectionAsync(ct);
            }
        }

        foreach (var message in chunk)
        {
            try
            {
                await writer.WriteAsync(batchId, fileId, [message], message.Ordinal + 1, processedBytes, attributor, ct);
            }
            catch (Exception e) when (IsRefusal(e, ct))
            {
                await writer.RecoverConnectionAsync(ct);
                await writer.WriteAsync(batchId, fileId, [message.AsUnstorable($"could not be stored: {IngestBatchJob.Explain(e)}")], message.Ordinal + 1, processedBytes, attributor, ct);
            }
        }
    }

    private static bool IsRefusal(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && !IngestBatchJob.IsTransient(e) && e is not IngestClaimLostException and not OperationCanceledException;

    /// <summary>Marks duplicates (already stored, or repeated within the chunk) and parses the rest in parallel.</summary>
    private async Task<List<PreparedMessage>> PrepareChunkAsync(MessageChunkWriter lookup, List<(PreparedMessage Message, byte[]? Raw)> pending, CancellationToken ct)
    {
        var hashed = pending.Where(p => p.Message.Sha256 is not null).ToList();
        var stored = await lookup.FindStoredAsync(hashed.Select(p => p.Message.Sha256!), ct);
        var seen = new HashSet<string>(stored, StringComparer.Ordinal);
        var toParse = new List<(PreparedMessage Message, byte[] Raw)>(hashed.Count);
        foreach (var (message, raw) in hashed)
        {
            if (!seen.Add(Convert.ToHexString(message.Sha256!)))
            {
                message.Duplicate = true;
            }
            else
            {
                toParse.Add((message, raw!));
            }
        }

        // A message the parser cannot cope with becomes that message's error; the rest of the chunk goes on.
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<PreparedMessage, string>();
        Parallel.For(0, toParse.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, i =>
        {
            try
            {
                toParse[i].Message.Prepare(parser, toParse[i].Raw);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures[toParse[i].Message] = $"the parser failed on it: {e.GetType().Name}: {e.Message}";
            }
        });
        return pending.Select(p => failures.TryGetValue(p.Message, out var failure) ? p.Message.AsUnstorable(failure) : p.Message).ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchId}: PostgreSQL refused messages {First}-{Last} as one chunk; writing them one by one")]
    private partial void LogChunkRefused(Exception e, long batchId, int first, int last);
}
