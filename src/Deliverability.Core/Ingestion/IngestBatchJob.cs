using System.Data;
using System.IO.Compression;
using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Deliverability.Core.Remediation;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Reads every stored file of a batch into raw messages, bounces, complaints, log counts and SNDS days.
/// Idempotent and resumable: each chunk commits its rows together with the file's resume point and the batch
/// counters, so a run killed half-way continues where the last commit left it, with exact counts.
/// </summary>
public sealed partial class IngestBatchJob(
    DeliverabilityDbContext db,
    BounceParser parser,
    TimeProvider clock,
    IOptions<IngestOptions> options,
    IEnumerable<IIngestFileHandler> fileHandlers,
    IpDiagnosisRequests diagnosis,
    ILogger<IngestBatchJob> logger)
{
    [AutomaticRetry(Attempts = 5, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [DisableConcurrentExecution("ingest-batch:{0}", 3600)]
    [Queue(JobQueues.Ingest)]
    public async Task RunAsync(long batchId, CancellationToken ct)
    {
        var batch = await db.IngestBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null || batch.Status is IngestStatus.Completed or IngestStatus.Failed)
        {
            return;
        }

        await db.IngestBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, IngestStatus.Running)
            .SetProperty(b => b.StartedAt, b => b.StartedAt ?? clock.GetUtcNow()), ct);

        var rules = await db.SendingIpRules.AsNoTracking().Include(r => r.SendingIp).ToListAsync(ct);
        var attributor = new SendingIpAttributor(rules, batch.DefaultSendingIpId);
        var files = await db.IngestFiles.AsNoTracking()
            .Where(f => f.BatchId == batchId && f.Status != IngestStatus.Completed && f.Status != IngestStatus.Failed)
            .OrderBy(f => f.Position).ToListAsync(ct);
        var doneBytes = await db.IngestFiles.Where(f => f.BatchId == batchId && (f.Status == IngestStatus.Completed || f.Status == IngestStatus.Failed))
            .SumAsync(f => f.Size, ct);

        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await IngestFileAsync(batch, file, attributor, doneBytes, ct);
                doneBytes += file.Size;
            }
            catch (InvalidUploadException e)
            {
                LogFileRefused(file.Name, batchId, e.Message);
                await FailFileAsync(batchId, file.Id, e.Message, ct);
                doneBytes += file.Size;
            }
        }

        await db.IngestBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, IngestStatus.Completed)
            .SetProperty(b => b.ProcessedBytes, b => b.TotalBytes)
            .SetProperty(b => b.FinishedAt, clock.GetUtcNow()), ct);
        LogBatchDone(batchId);
        await diagnosis.RequestAsync(await TouchedSendingIpsAsync(batchId, ct), ct);
    }

    /// <summary>The IPs the batch brought evidence for: its bounces, complaints, new log lines and SNDS days.</summary>
    private async Task<List<long>> TouchedSendingIpsAsync(long batchId, CancellationToken ct)
    {
        var files = db.IngestFiles.Where(f => f.BatchId == batchId).Select(f => f.Id);
        var ids = await db.Bounces.Where(b => b.BatchId == batchId && b.SendingIpId != null).Select(b => b.SendingIpId!.Value)
            .Union(db.Complaints.Where(c => c.BatchId == batchId && c.SendingIpId != null).Select(c => c.SendingIpId!.Value))
            .Union(db.MtaLogDeliveries.Where(d => files.Contains(d.FileId) && d.SendingIpId != null).Select(d => d.SendingIpId!.Value).Distinct())
            .Union(db.SndsDays.Where(d => files.Contains(d.FileId) && d.SendingIpId != null).Select(d => d.SendingIpId!.Value))
            .ToListAsync(ct);
        return ids;
    }

    private async Task IngestFileAsync(IngestBatch batch, IngestFile file, SendingIpAttributor attributor, long doneBytes, CancellationToken ct)
    {
        await using var content = await LoadContentAsync(db.Database.GetConnectionString()!, file, ct);
        var head = new byte[(int)Math.Min(8192, content.Length)];
        await content.ReadExactlyAsync(head, ct);
        content.Position = 0;
        var kind = UploadedFileReader.Detect(head, file.Name);
        await db.IngestFiles.Where(f => f.Id == file.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.Kind, kind).SetProperty(f => f.Status, IngestStatus.Running), ct);
        file.Kind = kind;
        if (UploadedFileReader.NotEvidence(head, file.Name, content.Length) is { } refusal)
        {
            throw new InvalidUploadException(refusal);
        }

        if (kind is IngestFileKind.MtaLog or IngestFileKind.SndsData or IngestFileKind.SndsIpStatus)
        {
            var handler = fileHandlers.FirstOrDefault(h => h.Handles(kind))
                ?? throw new InvalidUploadException($"{file.Name} looks like {Describe(kind)}, which this version cannot import.");
            await handler.IngestAsync(batch, file, content, ct);
        }
        else
        {
            await IngestMessagesAsync(batch, file, content, attributor, doneBytes, ct);
        }

        await db.IngestFiles.Where(f => f.Id == file.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, IngestStatus.Completed), ct);
    }

    private async Task IngestMessagesAsync(IngestBatch batch, IngestFile file, FileStream content, SendingIpAttributor attributor, long doneBytes, CancellationToken ct)
    {
        var connectionString = db.Database.GetConnectionString()!;
        await using var lookup = new NpgsqlConnection(connectionString);
        await lookup.OpenAsync(ct);
        await using var writing = new NpgsqlConnection(connectionString);
        await writing.OpenAsync(ct);
        var lookupWriter = new MessageChunkWriter(lookup, clock);
        var writer = new MessageChunkWriter(writing, clock);
        var reader = new UploadedFileReader(options.Value);
        var chunkSize = options.Value.ChunkSize;
        var pending = new List<(PreparedMessage Message, byte[]? Raw)>(chunkSize);

        // Chunk k is written (on its own connection) while chunk k+1 is read, hashed and parsed: the CPU work and the
        // database work overlap. Writes stay in order, so the resume point only ever moves forward.
        Task write = Task.CompletedTask;
        async Task FlushAsync()
        {
            var chunk = await PrepareChunkAsync(lookupWriter, pending, ct);
            pending = new List<(PreparedMessage Message, byte[]? Raw)>(chunkSize);
            var processedBytes = doneBytes + (content.Length == 0 ? file.Size : (long)(file.Size * (double)content.Position / content.Length));
            await write;
            write = writer.WriteAsync(batch.Id, file.Id, chunk, chunk[^1].Ordinal + 1, processedBytes, attributor, ct);
        }

        try
        {
            await foreach (var extracted in reader.ReadMessagesAsync(content, file.Name, ct))
            {
                if (extracted.Ordinal < file.ProcessedMessages)
                {
                    continue;
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
    }

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

        Parallel.For(0, toParse.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            i => toParse[i].Message.Prepare(parser, toParse[i].Raw));
        return pending.Select(p => p.Message).ToList();
    }

    /// <summary>The stored upload, decompressed into a temporary file (streamed: never whole in memory).</summary>
    internal static async Task<FileStream> LoadContentAsync(string connectionString, IngestFile file, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT gzip FROM ingest_file_contents WHERE file_id = @id", connection);
        command.Parameters.AddWithValue("id", file.Id);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidUploadException($"{file.Name}: its stored content is missing.");
        }

        await using var stored = await reader.GetStreamAsync(0, ct);
        await using var gzip = new GZipStream(stored, CompressionMode.Decompress);
        return await UploadedFileReader.SpoolAsync(gzip, Math.Max(file.Size, 1) + 1, $"{file.Name}: stored content is larger than uploaded", ct);
    }

    private async Task FailFileAsync(long batchId, long fileId, string error, CancellationToken ct)
    {
        await db.IngestFiles.Where(f => f.Id == fileId).ExecuteUpdateAsync(s => s
            .SetProperty(f => f.Status, IngestStatus.Failed)
            .SetProperty(f => f.Error, PreparedMessage.Truncate(error, 2000)), ct);
        await db.IngestBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s.SetProperty(b => b.ErrorCount, b => b.ErrorCount + 1), ct);
    }

    internal static string Describe(IngestFileKind kind) => kind switch
    {
        IngestFileKind.MtaLog => "an MTA log",
        IngestFileKind.SndsData => "an SNDS data export",
        IngestFileKind.SndsIpStatus => "an SNDS IP status export",
        IngestFileKind.Mbox => "an mbox",
        IngestFileKind.Zip => "a zip archive",
        IngestFileKind.Gzip => "a gzip file",
        _ => "a message",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {FileName} of batch {BatchId}: {Reason}")]
    private partial void LogFileRefused(string fileName, long batchId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingested batch {BatchId}")]
    private partial void LogBatchDone(long batchId);
}

/// <summary>Imports a file that is not made of messages (an MTA log, an SNDS export) inside one transaction; file.Kind is already detected.</summary>
public interface IIngestFileHandler
{
    bool Handles(IngestFileKind kind);

    Task IngestAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct);

    /// <summary>Reads a stored file again with the current readers, replacing what it brought (re-parse).</summary>
    Task ReparseAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct);
}
