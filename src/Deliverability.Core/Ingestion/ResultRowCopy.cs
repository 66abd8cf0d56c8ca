using System.Net;
using System.Text.Json;
using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Npgsql;
using NpgsqlTypes;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Writes the result rows of parsed messages with COPY: bounce rows for bounce reports, complaint rows for feedback reports,
/// each attributed to its sending IP. The column lists are checked against the EF model by BulkCopyColumnsTests.
/// </summary>
internal sealed class ResultRowCopy(NpgsqlConnection connection, Func<IPAddress, long> trackedIpId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal const string BounceCopy = """
        COPY bounces (raw_message_id, recipient_index, batch_id, sending_ip_id, sending_ip_address, sending_ip_source, recipient,
            original_recipient, recipient_domain, action, status, reply_code, diagnostic, remote_mta, reporting_mta, reason, hard_bounce, kind, provider,
            provider_code, sender, sender_domain, original_message_id, dkim, arrival_date, occurred_at) FROM STDIN (FORMAT BINARY)
        """;

    internal const string ComplaintCopy = """
        COPY complaints (raw_message_id, recipient_index, batch_id, sending_ip_id, source_ip, feedback_type, provider, recipient,
            sender, sender_domain, original_message_id, occurred_at) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>Bounce rows for bounce reports, complaint rows for feedback reports; other kinds add no rows.</summary>
    public async Task<(int Bounces, int Complaints)> CopyAsync(
        IEnumerable<(long RawId, long BatchId, PreparedMessage Message, SendingIpAttributor Attributor)> messages, DateTimeOffset now, CancellationToken ct)
    {
        var list = messages.ToList();
        var bounces = 0;
        var complaints = 0;
        await using (var bounceCopy = await connection.BeginBinaryImportAsync(BounceCopy, ct))
        {
            foreach (var (id, batchId, message, attributor) in list.Where(m => m.Message.Parsed!.Kind == MessageKind.Bounce))
            {
                for (var i = 0; i < message.Parsed!.Recipients.Count; i++)
                {
                    await WriteBounceAsync(bounceCopy, id, i, batchId, message, message.Parsed.Recipients[i], attributor, now, ct);
                    bounces++;
                }
            }

            await bounceCopy.CompleteAsync(ct);
        }

        await using (var complaintCopy = await connection.BeginBinaryImportAsync(ComplaintCopy, ct))
        {
            foreach (var (id, batchId, message, attributor) in list.Where(m => m.Message.Parsed!.Kind == MessageKind.Feedback))
            {
                for (var i = 0; i < message.Parsed!.Recipients.Count; i++)
                {
                    var r = message.Parsed.Recipients[i];
                    var attribution = attributor.Attribute(r, trackedIpId);
                    await complaintCopy.StartRowAsync(ct);
                    await complaintCopy.WriteAsync(id, NpgsqlDbType.Bigint, ct);
                    await complaintCopy.WriteAsync(i, NpgsqlDbType.Integer, ct);
                    await complaintCopy.WriteAsync(batchId, NpgsqlDbType.Bigint, ct);
                    await WriteNullableAsync(complaintCopy, attribution.SendingIpId, NpgsqlDbType.Bigint, ct);
                    await WriteNullableAsync(complaintCopy, r.SendingIp, NpgsqlDbType.Inet, ct);
                    await WriteNullableAsync(complaintCopy, r.FeedbackType, NpgsqlDbType.Text, ct);
                    await WriteNullableAsync(complaintCopy, r.Provider, NpgsqlDbType.Text, ct);
                    await WriteNullableAsync(complaintCopy, r.Recipient, NpgsqlDbType.Text, ct);
                    await WriteNullableAsync(complaintCopy, r.Sender, NpgsqlDbType.Text, ct);
                    await WriteNullableAsync(complaintCopy, r.SenderDomain, NpgsqlDbType.Text, ct);
                    await WriteNullableAsync(complaintCopy, r.OriginalMessageId, NpgsqlDbType.Text, ct);
                    await complaintCopy.WriteAsync((r.ArrivalDate ?? message.Date ?? now).ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                    complaints++;
                }
            }

            await complaintCopy.CompleteAsync(ct);
        }

        return (bounces, complaints);
    }

    private async Task WriteBounceAsync(NpgsqlBinaryImporter copy, long rawId, int index, long batchId, PreparedMessage message,
        RecipientResult r, SendingIpAttributor attributor, DateTimeOffset now, CancellationToken ct)
    {
        var attribution = attributor.Attribute(r, trackedIpId);
        var at = r.Recipient.LastIndexOf('@');
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(rawId, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(index, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(batchId, NpgsqlDbType.Bigint, ct);
        await WriteNullableAsync(copy, attribution.SendingIpId, NpgsqlDbType.Bigint, ct);
        await WriteNullableAsync(copy, attribution.Address, NpgsqlDbType.Inet, ct);
        await WriteNullableAsync(copy, attribution.Source, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.Recipient, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.OriginalRecipient, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, at > 0 ? r.Recipient[(at + 1)..].ToLowerInvariant() : null, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.Action, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.Status, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.ReplyCode, NpgsqlDbType.Integer, ct);
        await WriteNullableAsync(copy, r.Diagnostic is null ? null : PreparedMessage.Truncate(r.Diagnostic, 4000), NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.RemoteMta, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.ReportingMta, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.Reason, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(r.HardBounce, NpgsqlDbType.Boolean, ct);
        await WriteNullableAsync(copy, r.Kind.ToString(), NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.Provider, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.ProviderCode, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.Sender, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.SenderDomain, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, r.OriginalMessageId, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, JsonSerializer.Serialize(r.Dkim, Json), NpgsqlDbType.Jsonb, ct);
        await WriteNullableAsync(copy, r.ArrivalDate?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
        await copy.WriteAsync(OccurredAt(r, message, now), NpgsqlDbType.TimestampTz, ct);
    }

    /// <summary>
    /// When the refusal happened: the last attempt the report names, else the report's own Date (a DSN is written when the
    /// attempt fails), never the Arrival-Date first: that is when the original message entered the queue, which can be hours of
    /// deferrals earlier (RFC 3464 2.2.5, 2.3.7). The arrival date is left for reports without either; the ingest time is last.
    /// </summary>
    internal static DateTimeOffset OccurredAt(RecipientResult r, PreparedMessage message, DateTimeOffset now) =>
        (r.AttemptedAt ?? message.Date ?? r.ArrivalDate ?? now).ToUniversalTime();

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) =>
        copy.WriteStorableAsync(value, type, ct);
}
