using System.Threading.Channels;
using Deliverability.Core.Data;
using Npgsql;
using NpgsqlTypes;
using static Deliverability.Core.Reports.ReportStore;

namespace Deliverability.Core.Reports;

/// <summary>
/// Writes a report's records with binary COPY straight into dmarc_records, dmarc_dkim_results and dmarc_spf_results, a chunk of
/// records at a time: the reader parses the next chunk on a thread of its own while this one writes the chunk before (synchronous
/// writes: per-value async writes cost more than the values), and the database stores it meanwhile. At most a few chunks are in
/// memory, whatever the report's size. Records are written without their sending IP; <see cref="ReportStore"/> attaches the
/// tracked IPs afterwards in one statement. The column lists are checked against the EF model by BulkCopyColumnsTests.
/// </summary>
internal sealed class DmarcRecordCopy(NpgsqlConnection connection, long reportId, DateOnly day)
{
    internal const string RecordColumns =
        "dmarc_report_id, ordinal, source_ip, sending_ip_id, day, count, disposition, dkim, spf, dmarc_pass, reasons, header_from, envelope_from, envelope_to";

    internal const string DkimColumns = "dmarc_report_id, record_ordinal, ordinal, domain, selector, result";

    internal const string SpfColumns = "dmarc_report_id, record_ordinal, ordinal, domain, scope, result";

    private const int ChunkRecords = 5000;

    private int _records;
    private long _messages;

    /// <summary>Stores every record the reader yields (ordinals from 0, in order); a report whose XML breaks half-way throws <see cref="ReportFormatException"/>.</summary>
    public async Task<(int Records, long Messages)> CopyAsync(DmarcAggregateReader reader, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var chunks = Channel.CreateBounded<List<DmarcRecord>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadChunksAsync(reader, chunks.Writer, stop.Token), stop.Token);
        try
        {
            await Task.Run(() => WriteChunksAsync(chunks.Reader, stop.Token), stop.Token);
        }
        catch (ChannelClosedException)
        {
            // The reader failed: its own exception is thrown below.
        }
        catch
        {
            await stop.CancelAsync();
            await Task.WhenAny(reading);
            throw;
        }

        await reading;
        return (_records, _messages);
    }

    private static async Task ReadChunksAsync(DmarcAggregateReader reader, ChannelWriter<List<DmarcRecord>> chunks, CancellationToken ct)
    {
        try
        {
            var chunk = new List<DmarcRecord>(ChunkRecords);
            foreach (var record in reader.ReadRecords())
            {
                chunk.Add(record);
                if (chunk.Count == ChunkRecords)
                {
                    await chunks.WriteAsync(chunk, ct);
                    chunk = new List<DmarcRecord>(ChunkRecords);
                }
            }

            if (chunk.Count > 0) await chunks.WriteAsync(chunk, ct);
            chunks.Complete();
        }
        catch (Exception e)
        {
            chunks.Complete(e);
            throw;
        }
    }

    private async Task WriteChunksAsync(ChannelReader<List<DmarcRecord>> chunks, CancellationToken ct)
    {
        while (await chunks.WaitToReadAsync(ct))
        {
            while (chunks.TryRead(out var chunk))
            {
                ct.ThrowIfCancellationRequested();
                WriteRecords(chunk);
                WriteDkimResults(chunk, _records);
                WriteSpfResults(chunk, _records);
                _records += chunk.Count;
            }
        }
    }

    private void WriteRecords(List<DmarcRecord> chunk)
    {
        using var copy = connection.BeginBinaryImport($"COPY dmarc_records ({RecordColumns}) FROM STDIN (FORMAT BINARY)");
        var ordinal = _records;
        foreach (var r in chunk)
        {
            copy.StartRow();
            copy.Write(reportId, NpgsqlDbType.Bigint);
            copy.Write(ordinal++, NpgsqlDbType.Integer);
            copy.Write(r.SourceIp, NpgsqlDbType.Inet);
            copy.WriteNull();
            copy.Write(day, NpgsqlDbType.Date);
            copy.Write(r.Count, NpgsqlDbType.Integer);
            copy.WriteStorable(Cut(r.Disposition, 16), NpgsqlDbType.Text);
            copy.WriteStorable(Cut(r.Dkim, 16), NpgsqlDbType.Text);
            copy.WriteStorable(Cut(r.Spf, 16), NpgsqlDbType.Text);
            copy.Write(r.DmarcPass, NpgsqlDbType.Boolean);
            copy.WriteStorable(Cut(r.Reasons, 1000), NpgsqlDbType.Text);
            copy.WriteStorable(Cut(r.HeaderFrom), NpgsqlDbType.Text);
            copy.WriteStorable(Cut(r.EnvelopeFrom), NpgsqlDbType.Text);
            copy.WriteStorable(Cut(r.EnvelopeTo), NpgsqlDbType.Text);
            _messages += r.Count;
        }

        copy.Complete();
    }

    private void WriteDkimResults(List<DmarcRecord> chunk, int firstOrdinal) =>
        WriteResults("dmarc_dkim_results", DkimColumns, chunk, firstOrdinal, r => r.DkimResults, d => (Cut(d.Domain), Cut(d.Selector), Cut(d.Result, 16)));

    private void WriteSpfResults(List<DmarcRecord> chunk, int firstOrdinal) =>
        WriteResults("dmarc_spf_results", SpfColumns, chunk, firstOrdinal, r => r.SpfResults, x => (Cut(x.Domain), Cut(x.Scope, 16), Cut(x.Result, 16)));

    /// <summary>One row per result of each record: its key, then its three texts (domain, selector or scope, result).</summary>
    private void WriteResults<TResult>(string table, string columns, List<DmarcRecord> chunk, int firstOrdinal, Func<DmarcRecord, IReadOnlyList<TResult>> resultsOf,
        Func<TResult, (string? Domain, string? Name, string? Result)> texts)
    {
        using var copy = connection.BeginBinaryImport($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < chunk.Count; i++)
        {
            var results = resultsOf(chunk[i]);
            for (var n = 0; n < results.Count; n++)
            {
                WriteResultKey(copy, firstOrdinal + i, n);
                var (domain, name, result) = texts(results[n]);
                copy.WriteStorable(domain, NpgsqlDbType.Text);
                copy.WriteStorable(name, NpgsqlDbType.Text);
                copy.WriteStorable(result, NpgsqlDbType.Text);
            }
        }

        copy.Complete();
    }

    /// <summary>A result's key: its report, its record's ordinal, and its own place among the record's results (from 1).</summary>
    private void WriteResultKey(NpgsqlBinaryImporter copy, int recordOrdinal, int index)
    {
        copy.StartRow();
        copy.Write(reportId, NpgsqlDbType.Bigint);
        copy.Write(recordOrdinal, NpgsqlDbType.Integer);
        copy.Write(index + 1, NpgsqlDbType.Integer);
    }
}
