using System.IO.Compression;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Reports;

/// <summary>
/// Ingests receiver reports: an uploaded report file (XML or JSON, plain, gzipped, or a zip of reports), and the report attachments of a
/// mail (<see cref="ImportAttachmentsAsync"/>, called for each message of a message file). Each report is stored by <see cref="ReportStore"/>
/// once; one that cannot be read is an ingest error of its own and costs nothing else.
/// </summary>
public sealed class ReportFileImporter(DeliverabilityDbContext db, ReportStore store, IOptions<IngestOptions> options) : IIngestFileHandler
{
    /// <summary>Records skipped inside reports are listed up to this many per file; the rest are counted.</summary>
    private const int MaxListedProblems = 200;

    public bool Handles(IngestFileKind kind) => kind is IngestFileKind.DmarcReport or IngestFileKind.TlsReport;

    public async Task IngestAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct)
    {
        var outcomes = await ImportAsync(content, file.Name, file.Id, ct);
        if (outcomes is [{ Error: { } only }])
        {
            throw new InvalidUploadException(only);
        }

        await RecordAsync(batch.Id, file.Id, outcomes, fileCounts: true, ct);
    }

    /// <summary>Re-parse: the reports this file brought are read again with the current reader.</summary>
    public async Task ReparseAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct)
    {
        await db.DmarcReports.Where(r => r.FileId == file.Id).ExecuteDeleteAsync(ct);
        await db.TlsReports.Where(r => r.FileId == file.Id).ExecuteDeleteAsync(ct);
        await db.IngestErrors.Where(e => e.FileId == file.Id).ExecuteDeleteAsync(ct);
        await RecordAsync(batch.Id, file.Id, await ImportAsync(content, file.Name, file.Id, ct), fileCounts: true, ct);
    }

    /// <summary>Stores the reports attached to a mail (a receiver's report message); a mail without any is left alone.</summary>
    public async Task<int> ImportAttachmentsAsync(long batchId, long fileId, ExtractedMessage message, CancellationToken ct)
    {
        if (message.Raw is null || !ReportAttachments.MayHold(message.Raw))
        {
            return 0;
        }

        var outcomes = new List<ReportOutcome>();
        foreach (var (name, bytes) in ReportAttachments.Find(message.Raw))
        {
            await using var spool = await UploadedFileReader.SpoolAsync(new MemoryStream(bytes), bytes.Length + 1L, name, ct);
            outcomes.AddRange(await ImportAsync(spool, $"{message.Path}/{name}", fileId, ct));
        }

        await RecordAsync(batchId, fileId, outcomes, fileCounts: false, ct);
        return outcomes.Count;
    }

    /// <summary>Every report document of a file (plain, gzip, or the entries of a zip), each stored or refused.</summary>
    public async Task<List<ReportOutcome>> ImportAsync(FileStream content, string path, long? fileId, CancellationToken ct)
    {
        var outcomes = new List<ReportOutcome>();
        var head = await HeadAsync(content, ct);
        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            await ImportZipAsync(content, path, fileId, outcomes, ct);
        }
        else if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            FileStream expanded;
            try
            {
                await using var gzip = new GZipStream(content, CompressionMode.Decompress, leaveOpen: true);
                expanded = await UploadedFileReader.SpoolAsync(gzip, options.Value.MaxExpandedBytes, $"{path} refused as a possible zip bomb", ct);
            }
            catch (InvalidDataException e)
            {
                outcomes.Add(ReportOutcome.Refused(path, ReportKind.Dmarc, $"{path} is not a readable gzip file: {e.Message}"));
                return outcomes;
            }

            await using (expanded)
            {
                outcomes.Add(await StoreDocumentAsync(expanded, StripGz(path), fileId, ct));
            }
        }
        else
        {
            outcomes.Add(await StoreDocumentAsync(content, path, fileId, ct));
        }

        return outcomes;
    }

    private async Task ImportZipAsync(FileStream content, string path, long? fileId, List<ReportOutcome> outcomes, CancellationToken ct)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            outcomes.Add(ReportOutcome.Refused(path, ReportKind.Dmarc, $"{path} is not a readable zip file: {e.Message}"));
            return;
        }

        using (zip)
        {
            var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/') && !e.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal)).ToList();
            if (entries.Count > options.Value.MaxArchiveEntries || entries.Sum(e => e.Length) > options.Value.MaxExpandedBytes)
            {
                throw new InvalidUploadException($"{path} holds {entries.Count} files expanding to {UploadedFileReader.FormatBytes(entries.Sum(e => e.Length))}: over the archive limits.");
            }

            foreach (var entry in entries)
            {
                var entryPath = $"{path}/{entry.FullName}";
                FileStream spooled;
                try
                {
                    await using var entryStream = entry.Open();
                    spooled = await UploadedFileReader.SpoolAsync(entryStream, Math.Max(entry.Length, 1), $"{entryPath} expands beyond the size it declares", ct);
                }
                catch (InvalidDataException e)
                {
                    outcomes.Add(ReportOutcome.Refused(entryPath, ReportKind.Dmarc, $"{entryPath} is an unreadable zip entry: {e.Message}"));
                    continue;
                }

                await using (spooled)
                {
                    var entryHead = await HeadAsync(spooled, ct);
                    if (entryHead.Length >= 2 && entryHead[0] == 0x1f && entryHead[1] == 0x8b)
                    {
                        outcomes.AddRange(await ImportAsync(spooled, entryPath, fileId, ct));
                    }
                    else
                    {
                        outcomes.Add(await StoreDocumentAsync(spooled, entryPath, fileId, ct));
                    }
                }
            }
        }
    }

    private async Task<ReportOutcome> StoreDocumentAsync(FileStream document, string path, long? fileId, CancellationToken ct)
    {
        var head = await HeadAsync(document, ct);
        return ReportSniffer.SniffText(head) switch
        {
            ReportKind.Dmarc => await store.StoreDmarcAsync(document, path, fileId, ct),
            ReportKind.Tls => await store.StoreTlsAsync(document, path, fileId, ct),
            _ => ReportOutcome.Refused(path, ReportKind.Dmarc,
                $"{path} is not a DMARC aggregate report (XML with a <feedback> root) nor an SMTP TLS report (RFC 8460 JSON)."),
        };
    }

    /// <summary>Lists refused reports and skipped records as ingest errors and adds the outcomes to the file's and batch's counters.</summary>
    private async Task RecordAsync(long batchId, long fileId, List<ReportOutcome> outcomes, bool fileCounts, CancellationToken ct)
    {
        if (outcomes.Count == 0) return;
        var problems = outcomes.Where(o => o.Error is not null).Select(o => o.Error!)
            .Concat(outcomes.Where(o => o.Skipped is not null).SelectMany(o => o.Skipped!.Select(s => $"{o.Path}: record {s.Position} skipped: {s.Problem}.")))
            .Take(MaxListedProblems);
        db.IngestErrors.AddRange(problems.Select(p => new IngestError { BatchId = batchId, FileId = fileId, MessageIndex = null, Message = PreparedMessage.Truncate(p, 2000) }));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        var stored = outcomes.Count(o => o.Stored);
        var duplicates = outcomes.Count(o => o.Duplicate);
        var errors = outcomes.Count(o => o.Error is not null) + outcomes.Sum(o => o.Skipped?.Count ?? 0);
        if (fileCounts)
        {
            await db.IngestFiles.Where(f => f.Id == fileId).ExecuteUpdateAsync(s => s
                .SetProperty(f => f.MessageCount, outcomes.Count).SetProperty(f => f.ProcessedMessages, outcomes.Count)
                .SetProperty(f => f.RepeatedEntryCount, duplicates).SetProperty(f => f.ErrorCount, errors), ct);
        }

        await db.IngestBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.ReportCount, b => b.ReportCount + stored)
            .SetProperty(b => b.DuplicateCount, b => b.DuplicateCount + duplicates)
            .SetProperty(b => b.ErrorCount, b => b.ErrorCount + errors), ct);
    }

    private static async Task<byte[]> HeadAsync(FileStream file, CancellationToken ct)
    {
        file.Position = 0;
        var head = new byte[(int)Math.Min(4096, file.Length)];
        await file.ReadExactlyAsync(head, ct);
        file.Position = 0;
        return head;
    }

    private static string StripGz(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
}
