using System.IO.Compression;
using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Deliverability.Core.Remediation;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Runs the current parser over every stored raw message and rebuilds its bounce and complaint rows, so history
/// improves when the parser does. Chunked and idempotent: a second run (or a resumed one) yields the same rows.
/// One re-parse at a time (<see cref="JobClaim"/> "reparse", renewed while it runs): a request while one runs does nothing,
/// and after a crash the next request starts as soon as the dead run's lease ran out (seconds), not after an hour's lock.
/// </summary>
public sealed partial class ReparseJob(DeliverabilityDbContext db, BounceParser parser, TimeProvider clock, IpDiagnosisRequests diagnosis,
    IEnumerable<IIngestFileHandler> fileHandlers, ILogger<ReparseJob> logger)
{
    public const int ChunkSize = 500;

    /// <summary>What was read again: raw messages (into bounces and complaints) and stored MTA logs and SNDS exports (EvidenceFiles).</summary>
    public sealed record Outcome(int Messages, int Bounces, int Complaints, int EvidenceFiles = 0);

    /// <summary>The claim's name: one re-parse in the whole installation at a time.</summary>
    public const string ClaimName = "reparse";

    /// <summary>Runs the re-parse; null when another live re-parse holds the claim (this request then does nothing).</summary>
    [AutomaticRetry(Attempts = 2)]
    [Queue(JobQueues.Ingest)]
    public async Task<Outcome?> RunAsync(CancellationToken ct)
    {
        await using var claim = await JobClaim.TryTakeAsync(db.Database.GetConnectionString()!, ClaimName, JobClaim.DefaultLease, ct);
        if (claim is null)
        {
            LogAlreadyRunning();
            return null;
        }

        // A run that lost its claim (too slow to renew it, another run took over) stops instead of writing beside the new one.
        using var running = CancellationTokenSource.CreateLinkedTokenSource(ct, claim.Lost);
        return await ReparseClaimedAsync(running.Token);
    }

    private async Task<Outcome> ReparseClaimedAsync(CancellationToken ct)
    {
        var rules = await db.SendingIpRules.AsNoTracking().Include(r => r.SendingIp).ToListAsync(ct);
        var defaults = await db.IngestBatches.AsNoTracking().Where(b => b.DefaultSendingIpId != null)
            .ToDictionaryAsync(b => b.Id, b => b.DefaultSendingIpId, ct);
        var attributors = new Dictionary<long, SendingIpAttributor>();
        SendingIpAttributor AttributorFor(long batchId)
        {
            if (!attributors.TryGetValue(batchId, out var attributor))
            {
                attributor = new SendingIpAttributor(rules, defaults.GetValueOrDefault(batchId));
                attributors[batchId] = attributor;
            }

            return attributor;
        }

        await using var reading = new NpgsqlConnection(db.Database.GetConnectionString());
        await reading.OpenAsync(ct);
        await using var writing = new NpgsqlConnection(db.Database.GetConnectionString());
        await writing.OpenAsync(ct);
        var writer = new MessageChunkWriter(writing, clock);

        long lastId = 0;
        int messages = 0, bounces = 0, complaints = 0;
        while (true)
        {
            var chunk = new List<(long RawId, long BatchId, PreparedMessage Message, byte[] Raw)>(ChunkSize);
            await using (var select = new NpgsqlCommand(
                             "SELECT id, first_batch_id, gzip FROM raw_messages WHERE id > @last ORDER BY id LIMIT @n", reading))
            {
                select.Parameters.AddWithValue("last", lastId);
                select.Parameters.AddWithValue("n", ChunkSize);
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var raw = Gunzip(reader.GetFieldValue<byte[]>(2));
                    chunk.Add((reader.GetInt64(0), reader.GetInt64(1),
                        new PreparedMessage { Ordinal = chunk.Count, Path = $"raw message {reader.GetInt64(0)}", Size = raw.Length }, raw));
                }
            }

            if (chunk.Count == 0)
            {
                break;
            }

            Parallel.For(0, chunk.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
                i => chunk[i].Message.Prepare(parser, chunk[i].Raw));
            var (b, c) = await writer.RewriteAsync([.. chunk.Select(x => (x.RawId, x.BatchId, x.Message, AttributorFor(x.BatchId)))], ct);
            messages += chunk.Count;
            bounces += b;
            complaints += c;
            lastId = chunk[^1].RawId;
        }

        LogDone(messages, bounces, complaints);
        var evidenceFiles = await ReparseEvidenceFilesAsync(ct);
        LogEvidenceDone(evidenceFiles);

        // Attribution may have moved bounces between IPs and hours: the hourly counts are rebuilt from the rows (each chunk
        // already moved them; this also repairs any drift), and every IP's checklist and status are re-derived, in chunks.
        await BounceHours.RebuildAllAsync(db, ct);
        await diagnosis.RediagnoseAllAsync(ct);
        return new Outcome(messages, bounces, complaints, evidenceFiles);
    }

    /// <summary>
    /// Every stored MTA log and SNDS export, in upload order, read again with the current readers and rules (a log
    /// uploaded before its attribution rule existed gets its IP). A file that was a duplicate of an earlier one is skipped.
    /// </summary>
    private async Task<int> ReparseEvidenceFilesAsync(CancellationToken ct)
    {
        var kinds = new[] { IngestFileKind.MtaLog, IngestFileKind.SndsData, IngestFileKind.SndsIpStatus };
        var files = await db.IngestFiles.AsNoTracking()
            .Where(f => f.Status == IngestStatus.Completed && kinds.Contains(f.Kind))
            .Where(f => !db.IngestFiles.Any(e => e.Id < f.Id && e.Sha256 == f.Sha256 && e.Status == IngestStatus.Completed))
            .OrderBy(f => f.Id).ToListAsync(ct);
        var batches = new Dictionary<long, IngestBatch>();
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            if (!batches.TryGetValue(file.BatchId, out var batch))
            {
                batch = await db.IngestBatches.AsNoTracking().SingleAsync(b => b.Id == file.BatchId, ct);
                batches[file.BatchId] = batch;
            }

            var handler = fileHandlers.First(h => h.Handles(file.Kind));
            await using var content = await IngestBatchJob.LoadContentAsync(db.Database.GetConnectionString()!, file, ct);
            await handler.ReparseAsync(batch, file, content, ct);
        }

        return files.Count;
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream(gzip.Length * 4);
        input.CopyTo(output);
        return output.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-parsed {Messages} stored messages into {Bounces} bounces and {Complaints} complaints")]
    private partial void LogDone(int messages, int bounces, int complaints);

    [LoggerMessage(Level = LogLevel.Information, Message = "A re-parse is already running: this request does nothing")]
    private partial void LogAlreadyRunning();

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-read {Files} stored MTA logs and SNDS exports")]
    private partial void LogEvidenceDone(int files);
}
