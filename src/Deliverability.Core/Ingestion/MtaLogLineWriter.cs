using System.Security.Cryptography;
using System.Text;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Data;
using Deliverability.Core.Logs;
using Npgsql;
using NpgsqlTypes;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Streams the entries of one log into staging tables with binary COPY, then keeps the lines not stored yet
/// (UNIQUE line_hash): a log uploaded again, or a grown copy of it, adds only its new lines. Runs inside the caller's
/// transaction on the caller's connection.
/// </summary>
internal sealed class MtaLogLineWriter : IAsyncDisposable
{
    internal const string DeliveryColumns = "file_id, sending_ip_id, log_host, instance, program, transport, local_ip, at, recipient, sender, " +
        "sender_domain, message_id, queue_id, submitted_by, relay_host, status, reply_code, enhanced_status, command, provider, " +
        "provider_code, reason, blocklist, is_microsoft_block, reply, line_hash";

    internal const string LoginColumns = "file_id, log_host, instance, at, \"user\", client_host, client_ip, method, succeeded, detail, line_hash";

    private readonly NpgsqlConnection _connection;
    private readonly List<(long FileId, LoginAttempt Login)> _pendingLogins = [];
    private NpgsqlBinaryImporter? _deliveries;
    private NpgsqlBinaryImporter? _logins;

    private MtaLogLineWriter(NpgsqlConnection connection) => _connection = connection;

    public static async Task<MtaLogLineWriter> StartAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand($"""
            CREATE TEMP TABLE mta_log_deliveries_in ON COMMIT DROP AS SELECT {DeliveryColumns} FROM mta_log_deliveries WITH NO DATA;
            CREATE TEMP TABLE mta_log_logins_in ON COMMIT DROP AS SELECT {LoginColumns} FROM mta_log_logins WITH NO DATA;
            """, connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        var writer = new MtaLogLineWriter(connection);
        writer._deliveries = await connection.BeginBinaryImportAsync($"COPY mta_log_deliveries_in ({DeliveryColumns}) FROM STDIN (FORMAT BINARY)", ct);
        return writer;
    }

    public static string HostOf(MtaLogEntry entry) => entry.Host ?? "unknown";

    /// <summary>What identifies a line across uploads: its host, its time, the line itself and (one line can name several) the recipient.</summary>
    public static byte[] LineHash(MtaLogEntry entry, string? recipient)
    {
        var text = $"{HostOf(entry)}\n{entry.Time.ToUniversalTime():O}\n{entry.Line}\n{recipient}";
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    public async Task WriteAsync(long fileId, DeliveryAttempt attempt, long? sendingIpId, CancellationToken ct)
    {
        var copy = _deliveries!;
        var refused = attempt.Status != DeliveryStatus.Sent;
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(fileId, NpgsqlDbType.Bigint, ct);
        await WriteAsync(copy, sendingIpId, NpgsqlDbType.Bigint, ct);
        await WriteAsync(copy, Cut(HostOf(attempt), 255)!, NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.Instance, 100)!, NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.Program, 100)!, NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.Transport, 100), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, attempt.LocalIp, NpgsqlDbType.Inet, ct);
        await copy.WriteAsync(attempt.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
        await WriteAsync(copy, Cut(attempt.Recipient, 320)!, NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.Sender, 320), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.SenderDomain, 255), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.MessageId, 500), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.QueueId, 64), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.SubmittedBy, 320), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.RelayHost, 255), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, attempt.Status.ToString(), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, attempt.ReplyCode, NpgsqlDbType.Integer, ct);
        await WriteAsync(copy, Cut(attempt.Dsn, 16), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.Command, 16), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.Provider, 64), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(attempt.ProviderCode, 32), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, refused ? Cut(attempt.Reason, 32) : null, NpgsqlDbType.Text, ct);
        await WriteAsync(copy, refused ? Cut(BlocklistMention.Find(attempt.Reply), 255) : null, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(attempt.IsMicrosoftBlock, NpgsqlDbType.Boolean, ct);
        await WriteAsync(copy, Cut(attempt.Reply, MtaLogDelivery.MaxReplyLength), NpgsqlDbType.Text, ct);
        await copy.WriteAsync(LineHash(attempt, attempt.Recipient), NpgsqlDbType.Bytea, ct);
    }

    public async Task WriteAsync(long fileId, LoginAttempt login, CancellationToken ct)
    {
        if (_logins is null)
        {
            // One COPY at a time per connection: logins are buffered server-side after the deliveries' COPY ends.
            _pendingLogins.Add((fileId, login));
            return;
        }

        await WriteLoginAsync(_logins, fileId, login, ct);
    }

    private static async Task WriteLoginAsync(NpgsqlBinaryImporter copy, long fileId, LoginAttempt login, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(fileId, NpgsqlDbType.Bigint, ct);
        await WriteAsync(copy, Cut(HostOf(login), 255)!, NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(login.Instance, 100)!, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(login.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
        await WriteAsync(copy, Cut(login.User, 320), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, Cut(login.ClientHost, 255), NpgsqlDbType.Text, ct);
        await WriteAsync(copy, login.ClientIp, NpgsqlDbType.Inet, ct);
        await WriteAsync(copy, Cut(login.Method, 64), NpgsqlDbType.Text, ct);
        await copy.WriteAsync(login.Succeeded, NpgsqlDbType.Boolean, ct);
        await WriteAsync(copy, Cut(login.Detail, 500), NpgsqlDbType.Text, ct);
        await copy.WriteAsync(LineHash(login, null), NpgsqlDbType.Bytea, ct);
    }

    /// <summary>Ends the COPYs and stores the lines not stored yet; returns how many of each were new.</summary>
    public async Task<(int Deliveries, int Logins)> CompleteAsync(CancellationToken ct)
    {
        await _deliveries!.CompleteAsync(ct);
        await _deliveries.DisposeAsync();
        _deliveries = null;
        _logins = await _connection.BeginBinaryImportAsync($"COPY mta_log_logins_in ({LoginColumns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (fileId, login) in _pendingLogins)
        {
            await WriteLoginAsync(_logins, fileId, login, ct);
        }

        _pendingLogins.Clear();
        await _logins.CompleteAsync(ct);
        await _logins.DisposeAsync();
        _logins = null;

        await using var insert = new NpgsqlCommand($"""
            WITH d AS (INSERT INTO mta_log_deliveries ({DeliveryColumns}) SELECT {DeliveryColumns} FROM mta_log_deliveries_in ORDER BY at
                       ON CONFLICT (line_hash) DO NOTHING RETURNING 1),
                 l AS (INSERT INTO mta_log_logins ({LoginColumns}) SELECT {LoginColumns} FROM mta_log_logins_in ORDER BY at
                       ON CONFLICT (line_hash) DO NOTHING RETURNING 1)
            SELECT (SELECT count(*) FROM d)::int, (SELECT count(*) FROM l)::int
            """, _connection);
        await using var reader = await insert.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    public async ValueTask DisposeAsync()
    {
        if (_deliveries is not null)
        {
            await _deliveries.DisposeAsync();
        }

        if (_logins is not null)
        {
            await _logins.DisposeAsync();
        }
    }

    private static string? Cut(string? value, int max) => value is null ? null : PreparedMessage.Truncate(value, max);

    private static Task WriteAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) =>
        copy.WriteStorableAsync(value, type, ct);
}
