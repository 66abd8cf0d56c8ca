using System.Net;
using System.Text;
using Deliverability.Core.Data;
using Deliverability.Core.Logs;
using Deliverability.Core.Snds;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.Core.Ingestion;

/// <summary>Shared steps of the importers of whole files: duplicate check, tracked IPs, per-line problems, counters.</summary>
public abstract class EvidenceFileImporter(DeliverabilityDbContext db)
{
    protected DeliverabilityDbContext Db => db;

    /// <summary>The same file already imported (by content) counts as a duplicate and is not read again.</summary>
    protected async Task<bool> IsDuplicateAsync(IngestBatch batch, IngestFile file, CancellationToken ct)
    {
        if (file.Sha256.Length == 0 || !await db.IngestFiles.AnyAsync(f => f.Id != file.Id && f.Sha256 == file.Sha256 && f.Status == IngestStatus.Completed, ct))
        {
            return false;
        }

        await db.IngestBatches.Where(b => b.Id == batch.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.DuplicateCount, b => b.DuplicateCount + 1), ct);
        return true;
    }

    protected async Task<Dictionary<IPAddress, long>> TrackedIpsAsync(CancellationToken ct) =>
        await db.SendingIps.AsNoTracking().ToDictionaryAsync(x => x.Address, x => x.Id, ct);

    protected void AddProblems(IngestBatch batch, IngestFile file, IEnumerable<(long Line, string Problem)> problems, int max = 200)
    {
        foreach (var (line, problem) in problems.Take(max))
        {
            db.IngestErrors.Add(new IngestError
            {
                BatchId = batch.Id,
                FileId = file.Id,
                MessageIndex = (int)Math.Min(int.MaxValue, line),
                Message = PreparedMessage.Truncate($"{file.Name} line {line}: {problem}", 2000),
            });
        }
    }

    protected static TextReader OpenText(FileStream content) =>
        new StreamReader(content, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, 1 << 16, leaveOpen: true);
}

/// <summary>
/// Imports a Postfix or Exim log line by line (<see cref="MtaLogDelivery"/>, <see cref="MtaLogLogin"/>): lines already
/// stored (the same log again, or a grown copy) are not stored twice; lines no rule attributes are kept with no IP. The
/// hourly counts of the log's hosts are then rebuilt from the stored lines. One transaction: a restarted job reads the
/// file again from the start and finds its lines stored.
/// </summary>
public sealed class MtaLogImporter(DeliverabilityDbContext db, TimeProvider clock) : EvidenceFileImporter(db), IIngestFileHandler
{
    public bool Handles(IngestFileKind kind) => kind == IngestFileKind.MtaLog;

    public async Task IngestAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct)
    {
        if (await IsDuplicateAsync(batch, file, ct))
        {
            return;
        }

        await ImportAsync(batch, file, content, clock.GetUtcNow(), reparse: false, ct);
    }

    /// <summary>
    /// Re-parse: reads a stored log again with the current reader, replacing the lines this file brought (lines an
    /// earlier file brought stay that file's). The log's years are inferred from when it was uploaded, as they were then.
    /// </summary>
    public Task ReparseAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct) =>
        ImportAsync(batch, file, content, batch.SubmittedAt ?? batch.CreatedAt, reparse: true, ct);

    private async Task ImportAsync(IngestBatch batch, IngestFile file, FileStream content, DateTimeOffset uploadedAt, bool reparse, CancellationToken ct)
    {
        var rules = await Db.SendingIpRules.AsNoTracking().Include(r => r.SendingIp).ToListAsync(ct);
        var attributor = new SendingIpAttributor(rules, batch.DefaultSendingIpId);
        var tracked = await TrackedIpsAsync(ct);
        var hosts = new HashSet<string>(StringComparer.Ordinal);

        using var text = OpenText(content);
        var entries = MtaLogReader.Read(text, new MtaLogReadOptions { ReferenceTime = uploadedAt });
        await using var tx = await Db.Database.BeginTransactionAsync(ct);
        await Db.IngestErrors.Where(e => e.FileId == file.Id).ExecuteDeleteAsync(ct);
        if (reparse)
        {
            hosts.UnionWith(await Db.MtaLogDeliveries.Where(d => d.FileId == file.Id).Select(d => d.LogHost)
                .Union(Db.MtaLogLogins.Where(l => l.FileId == file.Id).Select(l => l.LogHost)).ToListAsync(ct));
            await Db.MtaLogDeliveries.Where(d => d.FileId == file.Id).ExecuteDeleteAsync(ct);
            await Db.MtaLogLogins.Where(l => l.FileId == file.Id).ExecuteDeleteAsync(ct);
        }

        int stored;
        await using (var lines = await MtaLogLineWriter.StartAsync((NpgsqlConnection)Db.Database.GetDbConnection(), ct))
        {
            foreach (var entry in entries)
            {
                ct.ThrowIfCancellationRequested();
                hosts.Add(MtaLogLineWriter.HostOf(entry));
                if (entry is DeliveryAttempt attempt)
                {
                    var ipId = attributor.AttributeLogLine(MtaLogLineWriter.HostOf(attempt), attempt.Sender, attempt.LocalIp, attempt.Program,
                        attempt.Instance, attempt.Transport, tracked);
                    await lines.WriteAsync(file.Id, attempt, ipId, ct);
                }
                else if (entry is LoginAttempt login)
                {
                    await lines.WriteAsync(file.Id, login, ct);
                }
            }

            var (deliveries, logins) = await lines.CompleteAsync(ct);
            stored = deliveries + logins;
        }

        await MtaLogHourCounts.RebuildAsync(Db, hosts, ct);
        var counters = entries.Counters;
        AddProblems(batch, file, counters.UnreadableExamples.Select(u => (u.LineNumber, $"{u.Problem}: {u.Line}")));
        await Db.SaveChangesAsync(ct);
        var unreadable = (int)Math.Min(int.MaxValue, counters.Unreadable);
        var read = (int)Math.Min(int.MaxValue, counters.Entries);
        await Db.IngestFiles.Where(f => f.Id == file.Id).ExecuteUpdateAsync(s => s
            .SetProperty(f => f.MessageCount, read).SetProperty(f => f.ProcessedMessages, read)
            .SetProperty(f => f.RepeatedEntryCount, read - stored).SetProperty(f => f.ErrorCount, unreadable), ct);
        if (!reparse)
        {
            await Db.IngestBatches.Where(b => b.Id == batch.Id).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.LogEntryCount, b => b.LogEntryCount + stored)
                .SetProperty(b => b.ErrorCount, b => b.ErrorCount + unreadable), ct);
        }

        await tx.CommitAsync(ct);
        Db.ChangeTracker.Clear();
    }
}

/// <summary>Imports an SNDS data export (one row per IP per day; a newer upload of a day replaces it) or an IP Status export.</summary>
public sealed class SndsImporter(DeliverabilityDbContext db, TimeProvider clock) : EvidenceFileImporter(db), IIngestFileHandler
{
    public bool Handles(IngestFileKind kind) => kind is IngestFileKind.SndsData or IngestFileKind.SndsIpStatus;

    public async Task IngestAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct)
    {
        if (await IsDuplicateAsync(batch, file, ct))
        {
            return;
        }

        await ImportAsync(batch, file, content, reparse: false, ct);
    }

    /// <summary>Re-parse: reads a stored export again (files in upload order, so the newest upload of a day still wins) and re-attributes its days.</summary>
    public Task ReparseAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct) =>
        ImportAsync(batch, file, content, reparse: true, ct);

    private async Task ImportAsync(IngestBatch batch, IngestFile file, FileStream content, bool reparse, CancellationToken ct)
    {
        // file.Kind is what the job detected from the content (data report or IP status report).
        using var text = OpenText(content);
        await using var tx = await Db.Database.BeginTransactionAsync(ct);
        await Db.IngestErrors.Where(e => e.FileId == file.Id).ExecuteDeleteAsync(ct);
        int rows;
        IReadOnlyList<SndsLineError> errors;
        if (file.Kind == IngestFileKind.SndsIpStatus)
        {
            var report = SndsCsvReader.ReadIpStatus(text);
            await Db.SndsIpStatus.Where(s => s.FileId == file.Id).ExecuteDeleteAsync(ct);
            var now = clock.GetUtcNow();
            Db.SndsIpStatus.AddRange(report.Ranges.Select(r => new SndsIpStatusEntry
            {
                FileId = file.Id, FirstIp = r.FirstIp, LastIp = r.LastIp, Blocked = r.Blocked,
                Reason = r.Reason is null ? null : PreparedMessage.Truncate(r.Reason, 500), ReportedAt = now,
            }));
            (rows, errors) = (report.Ranges.Count, report.Errors);
        }
        else
        {
            var report = SndsCsvReader.Read(text);
            var tracked = await TrackedIpsAsync(ct);
            foreach (var row in report.Rows.GroupBy(r => (r.Ip, r.Day)).Select(g => g.Last()))
            {
                await Db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO snds_days (ip, day, sending_ip_id, file_id, activity_start, activity_end, rcpt_commands, data_commands,
                        message_recipients, filter_result, complaint_rate, complaint_rate_is_upper_bound, trap_period_start, trap_period_end,
                        trap_hits, sample_helo, sample_mail_from, comments)
                    VALUES ({row.Ip}, {row.Day}, {(tracked.TryGetValue(row.Ip, out var id) ? id : (long?)null)}, {file.Id},
                        {row.ActivityStart.ToUniversalTime()}, {row.ActivityEnd.ToUniversalTime()}, {Clamp(row.RcptCommands)}, {Clamp(row.DataCommands)},
                        {Clamp(row.MessageRecipients)}, {row.FilterResult?.ToString().ToUpperInvariant() ?? "UNKNOWN"}, {row.ComplaintRate},
                        {row.ComplaintRateIsUpperBound}, {row.TrapPeriodStart?.ToUniversalTime()}, {row.TrapPeriodEnd?.ToUniversalTime()},
                        {Clamp(row.TrapHits)}, {Cut(row.SampleHelo, 255)}, {Cut(row.SampleMailFrom, 320)}, {Cut(row.Comments, 1000)})
                    ON CONFLICT (ip, day) DO UPDATE SET sending_ip_id = EXCLUDED.sending_ip_id, file_id = EXCLUDED.file_id,
                        activity_start = EXCLUDED.activity_start, activity_end = EXCLUDED.activity_end, rcpt_commands = EXCLUDED.rcpt_commands,
                        data_commands = EXCLUDED.data_commands, message_recipients = EXCLUDED.message_recipients, filter_result = EXCLUDED.filter_result,
                        complaint_rate = EXCLUDED.complaint_rate, complaint_rate_is_upper_bound = EXCLUDED.complaint_rate_is_upper_bound,
                        trap_period_start = EXCLUDED.trap_period_start, trap_period_end = EXCLUDED.trap_period_end, trap_hits = EXCLUDED.trap_hits,
                        sample_helo = EXCLUDED.sample_helo, sample_mail_from = EXCLUDED.sample_mail_from, comments = EXCLUDED.comments
                    """, ct);
            }

            (rows, errors) = (report.Rows.Count, report.Errors);
        }

        AddProblems(batch, file, errors.Select(e => ((long)e.LineNumber, $"{e.Problem}: {e.Line}")));
        await Db.SaveChangesAsync(ct);
        await Db.IngestFiles.Where(f => f.Id == file.Id).ExecuteUpdateAsync(s => s
            .SetProperty(f => f.MessageCount, rows).SetProperty(f => f.ProcessedMessages, rows).SetProperty(f => f.ErrorCount, errors.Count), ct);
        if (!reparse)
        {
            await Db.IngestBatches.Where(b => b.Id == batch.Id).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.SndsRowCount, b => b.SndsRowCount + rows)
                .SetProperty(b => b.ErrorCount, b => b.ErrorCount + errors.Count), ct);
        }

        await tx.CommitAsync(ct);
        Db.ChangeTracker.Clear();
    }

    private static int Clamp(long value) => (int)Math.Clamp(value, 0, int.MaxValue);

    /// <summary>Cut to the column's length and cleaned (written with plain SQL, so not through the EF converter).</summary>
    private static string? Cut(string? value, int max) => value is null ? null : StorableText.Clean(PreparedMessage.Truncate(value, max));
}
