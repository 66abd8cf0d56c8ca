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
    /// <summary>Attempts Hangfire makes before it gives up on a run (then the batch is Failed, see <see cref="IngestJobFailureFilter"/>).</summary>
    public const int Attempts = 5;

    /// <summary>A new upload: served by every ingest worker.</summary>
    [AutomaticRetry(Attempts = Attempts, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(JobQueues.Ingest)]
    public Task RunAsync(long batchId, CancellationToken ct) => ReadBatchAsync(batchId, ct);

    /// <summary>
    /// A batch taken over after its run died or its job was lost: served by workers of its own, so resumed batches never
    /// stand between a new upload and the ingest workers.
    /// </summary>
    [AutomaticRetry(Attempts = Attempts, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(JobQueues.IngestResumed)]
    public Task ResumeAsync(long batchId, CancellationToken ct) => ReadBatchAsync(batchId, ct);

    private async Task ReadBatchAsync(long batchId, CancellationToken ct)
    {
        var batch = await db.IngestBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null || batch.Status is IngestStatus.Completed or IngestStatus.Failed)
        {
            return;
        }

        var connectionString = db.Database.GetConnectionString()!;
        await using var claim = await IngestBatchClaim.TryTakeAsync(connectionString, batchId, TimeSpan.FromSeconds(options.Value.ClaimSeconds), ct);
        if (claim is null)
        {
            // Another live run holds it; if that run dies, the resumption sweep queues the batch again when its claim runs out.
            LogClaimedElsewhere(batchId);
            return;
        }

        using var running = CancellationTokenSource.CreateLinkedTokenSource(ct, claim.Lost);
        try
        {
            await ReadClaimedBatchAsync(batch, claim, running.Token);
        }
        catch (Exception e) when (claim.IsLost && !ct.IsCancellationRequested && (e is OperationCanceledException or IngestClaimLostException))
        {
            LogClaimLost(batchId);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && !IsTransient(e) && e is not IngestClaimLostException)
        {
            // Nothing a retry would change: the batch says why it stopped instead of staying "Running".
            LogBatchFailed(e, batchId);
            await IngestResumption.RecordFailureAsync(connectionString, batchId, $"The ingest job stopped: {Explain(e)}", clock.GetUtcNow(), CancellationToken.None);
        }
    }

    private async Task ReadClaimedBatchAsync(IngestBatch batch, IngestBatchClaim claim, CancellationToken ct)
    {
        var batchId = batch.Id;
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
                await IngestFileAsync(batch, file, attributor, claim, doneBytes, ct);
            }
            catch (InvalidUploadException e)
            {
                LogFileRefused(file.Name, batchId, e.Message);
                await FailFileAsync(batchId, file.Id, e.Message, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && !IsTransient(e) && e is not IngestClaimLostException)
            {
                // One file that breaks the reader costs that file (listed with the reason), never the files after it.
                LogFileFailed(e, file.Name, batchId);
                await FailFileAsync(batchId, file.Id, $"{file.Name} could not be read: {Explain(e)}", ct);
            }

            doneBytes += file.Size;
        }

        var finished = await db.IngestBatches.Where(b => b.Id == batchId && b.ClaimedBy == claim.Holder).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, IngestStatus.Completed)
            .SetProperty(b => b.ProcessedBytes, b => b.TotalBytes)
            .SetProperty(b => b.FinishedAt, clock.GetUtcNow()), ct);
        if (finished == 0)
        {
            throw new IngestClaimLostException(batchId);
        }

        LogBatchDone(batchId);
        await diagnosis.RequestAsync(await TouchedSendingIpsAsync(batchId, ct), ct);
    }

    /// <summary>A failure a later attempt may not meet: the database restarting or unreachable, a dropped connection, a timeout.</summary>
    internal static bool IsTransient(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is NpgsqlException { IsTransient: true } or TimeoutException or IOException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What went wrong in words a user can pass on: PostgreSQL's message and code, else the exception's message.</summary>
    internal static string Explain(Exception e) => e is PostgresException p
        ? $"PostgreSQL refused it: {p.MessageText} ({p.SqlState})"
        : $"{e.GetType().Name}: {e.Message}";

    /// <summary>The IPs the batch brought evidence for: its bounces, complaints, new log lines and SNDS days.</summary>
    private async Task<List<long>> TouchedSendingIpsAsync(long batchId, CancellationToken ct)
    {
        var files = db.IngestFiles.Where(f => f.BatchId == batchId).Select(f => f.Id);
        var ids = await db.Bounces.Where(b => b.BatchId == batchId && b.SendingIpId != null).Select(b => b.SendingIpId!.Value)
            .Union(db.Complaints.Where(c => c.BatchId == batchId && c.SendingIpId != null).Select(c => c.SendingIpId!.Value))
            .Union(db.MtaLogDeliveries.Where(d => files.Contains(d.FileId) && d.SendingIpId != null).Select(d => d.SendingIpId!.Value).Distinct())
            .Union(db.SndsDays.Where(d => files.Contains(d.FileId) && d.SendingIpId != null).Select(d => d.SendingIpId!.Value))
            .Union(db.DmarcRecords.Where(r => r.SendingIpId != null
                    && db.DmarcReports.Any(p => p.Id == r.DmarcReportId && p.FileId != null && files.Contains(p.FileId.Value)))
                .Select(r => r.SendingIpId!.Value).Distinct())
            .ToListAsync(ct);
        return ids;
    }

    private async Task IngestFileAsync(IngestBatch batch, IngestFile file, SendingIpAttributor attributor, IngestBatchClaim claim, long doneBytes, CancellationToken ct)
    {
        await using var content = await LoadContentAsync(db.Database.GetConnectionString()!, file, ct);
        var head = new byte[(int)Math.Min(8192, content.Length)];
        await content.ReadExactlyAsync(head, ct);
        content.Position = 0;
        var kind = FileKindDetector.Detect(head, file.Name);
        await db.IngestFiles.Where(f => f.Id == file.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.Kind, kind).SetProperty(f => f.Status, IngestStatus.Running), ct);
        file.Kind = kind;
        if (FileKindDetector.NotEvidence(head, file.Name, content.Length) is { } refusal)
        {
            throw new InvalidUploadException(refusal);
        }

        if (kind is IngestFileKind.MtaLog or IngestFileKind.SndsData or IngestFileKind.SndsIpStatus or IngestFileKind.DmarcReport or IngestFileKind.TlsReport)
        {
            var handler = fileHandlers.FirstOrDefault(h => h.Handles(kind))
                ?? throw new InvalidUploadException($"{file.Name} looks like {Describe(kind)}, which this version cannot import.");
            await handler.IngestAsync(batch, file, content, ct);
        }
        else
        {
            var reports = fileHandlers.OfType<Reports.ReportFileImporter>().FirstOrDefault();
            await new MessageFileIngest(db.Database.GetConnectionString()!, parser, clock, options.Value, logger,
                    reports is null ? null : (message, token) => reports.ImportAttachmentsAsync(batch.Id, file.Id, message, token))
                .IngestAsync(batch, file, content, attributor, claim, doneBytes, ct);
        }

        await db.IngestFiles.Where(f => f.Id == file.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, IngestStatus.Completed), ct);
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
        IngestFileKind.DmarcReport => "a DMARC aggregate report",
        IngestFileKind.TlsReport => "an SMTP TLS report",
        IngestFileKind.Mbox => "an mbox",
        IngestFileKind.Zip => "a zip archive",
        IngestFileKind.Gzip => "a gzip file",
        _ => "a message",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {FileName} of batch {BatchId}: {Reason}")]
    private partial void LogFileRefused(string fileName, long batchId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not read {FileName} of batch {BatchId}")]
    private partial void LogFileFailed(Exception e, string fileName, long batchId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {BatchId} failed")]
    private partial void LogBatchFailed(Exception e, long batchId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} is claimed by a live run; nothing to do")]
    private partial void LogClaimedElsewhere(long batchId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchId} was taken over by another run; this run stopped")]
    private partial void LogClaimLost(long batchId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingested batch {BatchId}")]
    private partial void LogBatchDone(long batchId);
}
