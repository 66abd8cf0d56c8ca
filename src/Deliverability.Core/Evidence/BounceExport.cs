using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.Core.Evidence;

/// <summary>
/// Explorer views as CSV or JSON lines and the suppression list as CSV, written while they are read: rows come from the
/// database a chunk at a time and each chunk is flushed to the client, so memory stays flat whatever the count.
/// </summary>
public static class BounceExport
{
    public const int Chunk = 1000;

    public static readonly string[] Columns =
    [
        "source", "id", "occurred_at", "sending_ip", "recipient", "sender_domain", "kind", "reason", "provider", "provider_code",
        "reply_code", "status", "diagnostic", "raw_message_id", "remote_host",
    ];

    /// <summary>Reasons that say the address will never take mail: a mailing tool should stop sending to it.</summary>
    public static readonly string[] SuppressedReasons = [BounceReasons.UserUnknown, BounceReasons.HostUnknown, BounceReasons.HasMoved, BounceReasons.NotAccept];

    public static async Task<long> WriteCsvAsync(DeliverabilityDbContext db, BounceQuery query, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', Columns));
        long count = 0;
        await foreach (var row in BounceExplorer.AllAsync(db, query, Chunk, ct))
        {
            await writer.WriteLineAsync(string.Join(',', Cells(row).Select(CsvCell.Escape)));
            if (++count % Chunk == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        await writer.FlushAsync(ct);
        return count;
    }

    public static async Task<long> WriteJsonLinesAsync(DeliverabilityDbContext db, BounceQuery query, Stream output, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        long count = 0;
        await foreach (var row in BounceExplorer.AllAsync(db, query, Chunk, ct))
        {
            json.Reset();
            json.WriteStartObject();
            var cells = Cells(row);
            for (var i = 0; i < Columns.Length; i++)
            {
                if (cells[i] is null) json.WriteNull(Columns[i]);
                else if (Columns[i] is "id" or "reply_code" or "raw_message_id") json.WriteNumber(Columns[i], long.Parse(cells[i]!, CultureInfo.InvariantCulture));
                else json.WriteString(Columns[i], cells[i]);
            }

            json.WriteEndObject();
            await json.FlushAsync(ct);
            buffer.Write("\n"u8);
            if (++count % 100 == 0 || buffer.WrittenCount > 8 * 1024)
            {
                await output.WriteAsync(buffer.WrittenMemory, ct);
                buffer.ResetWrittenCount();
            }

            if (count % Chunk == 0)
            {
                await output.FlushAsync(ct);
            }
        }

        await output.WriteAsync(buffer.WrittenMemory, ct);
        await output.FlushAsync(ct);
        return count;
    }

    private static string?[] Cells(BounceRow r) =>
    [
        r.Source == Remediation.EvidenceSource.Bounce ? "bounce" : "log",
        r.Id.ToString(CultureInfo.InvariantCulture),
        r.OccurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        r.SendingIp, r.Recipient, r.SenderDomain, r.Kind, r.Reason, r.Provider, r.ProviderCode,
        r.ReplyCode?.ToString(CultureInfo.InvariantCulture), r.Status, r.Diagnostic,
        r.RawMessageId?.ToString(CultureInfo.InvariantCulture), r.RemoteHost,
    ];

    /// <summary>
    /// One line per address that must not be mailed again: hard bounces whose reason is in <see cref="SuppressedReasons"/>
    /// (reports and log lines) and complaint recipients; with the latest reason, when it was last seen and how often.
    /// </summary>
    public static async Task<long> WriteSuppressionCsvAsync(DeliverabilityDbContext db, Stream output, CancellationToken ct)
    {
        const string text = """
            SELECT address, (array_agg(why ORDER BY at DESC))[1], max(at), count(*) FROM (
                SELECT lower(b.recipient) AS address, b.reason AS why, b.occurred_at AS at FROM bounces b WHERE b.kind = 'Bounce' AND b.reason = ANY(@reasons)
                UNION ALL
                SELECT lower(d.recipient), d.reason, d.at FROM mta_log_deliveries d WHERE d.status IN ('Bounced', 'Expired') AND d.reason = ANY(@reasons)
                UNION ALL
                SELECT lower(c.recipient), 'complaint', c.occurred_at FROM complaints c WHERE c.recipient IS NOT NULL AND c.recipient <> ''
            ) s GROUP BY address ORDER BY address
            """;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(text, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("reasons", SuppressedReasons);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync("email,reason,last_seen,times");
        await using var reader = await command.ExecuteReaderAsync(ct);
        long count = 0;
        while (await reader.ReadAsync(ct))
        {
            await writer.WriteLineAsync(string.Join(',',
                CsvCell.Escape(reader.GetString(0)), CsvCell.Escape(reader.GetString(1)),
                reader.GetFieldValue<DateTimeOffset>(2).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                reader.GetInt64(3).ToString(CultureInfo.InvariantCulture)));
            if (++count % Chunk == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        await writer.FlushAsync(ct);
        return count;
    }
}

/// <summary>
/// One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; a text that a spreadsheet would run as a
/// formula (starting with = + - @, tab or carriage return) gets a leading apostrophe first.
/// </summary>
public static class CsvCell
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
