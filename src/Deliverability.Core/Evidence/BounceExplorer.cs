using System.Data.Common;
using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Deliverability.Core.Remediation;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.Core.Evidence;

/// <summary>One row of the explorer: a bounce (a stored report's recipient) or a refused or deferred MTA log line.</summary>
public sealed record BounceRow(
    EvidenceSource Source, long Id, DateTimeOffset OccurredAt, long? SendingIpId, string? SendingIp, string Recipient, string? SenderDomain,
    string Kind, string? Reason, string? Provider, string? ProviderCode, int? ReplyCode, string? Status, string? Diagnostic, long? RawMessageId, string? RemoteHost);

/// <summary>A page of rows and the cursor of the next one (null on the last page).</summary>
public sealed record BouncePage(IReadOnlyList<BounceRow> Rows, string? NextCursor);

/// <summary>Counts of the current filter by reason, provider and provider code (largest first), and the total.</summary>
public sealed record BounceFacets(long Total, IReadOnlyList<(string Value, long Count)> Reasons, IReadOnlyList<(string Value, long Count)> Providers, IReadOnlyList<(string Value, long Count)> Codes);

/// <summary>
/// Runs a <see cref="BounceQuery"/> in PostgreSQL over bounces and MTA log refusals together, paged by a cursor on
/// (time, source, id): a row inserted between two pages never shifts or repeats the rows of the next one.
/// </summary>
public static class BounceExplorer
{
    /// <summary>A page query (or one chunk of an export) that runs longer is cancelled by the server and says so.</summary>
    public const int PageTimeoutSeconds = 15;

    /// <summary>Facets count every row of the filter; past this they are reported unknown rather than awaited.</summary>
    public const int FacetTimeoutSeconds = 5;

    public const int FacetSize = 12;

    public static async Task<BouncePage> PageAsync(DeliverabilityDbContext db, BounceQuery query, BounceCursor? after, int size, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var sql = new SqlFilter(query);
        var order = query.Sort == BounceSort.Newest ? "DESC" : "ASC";
        var branches = Branches(query).Select(b => $"(SELECT {b.Columns} {sql.Where(b, after)} ORDER BY {b.At} {order}, {b.Table}.id {order} LIMIT {size + 1})").ToList();
        if (branches.Count == 0)
        {
            return new BouncePage([], null);
        }

        var text = $"SELECT * FROM ({string.Join(" UNION ALL ", branches)}) u ORDER BY at {order}, source {order}, id {order} LIMIT {size + 1}";
        var rows = new List<BounceRow>(size + 1);

        await using var command = await sql.CommandAsync(db, text, PageTimeoutSeconds, ct);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(Read(reader));
            }
        }
        catch (NpgsqlException e) when (IsTimeout(e))
        {
            throw new TimeoutException($"The search ran longer than {PageTimeoutSeconds} s and was stopped: narrow the time range or add a filter.", e);
        }

        if (rows.Count <= size)
        {
            return new BouncePage(rows, null);
        }

        rows.RemoveAt(size);
        var last = rows[^1];
        return new BouncePage(rows, new BounceCursor(last.OccurredAt, last.Source, last.Id).ToToken());
    }

    /// <summary>Every row of the filter, read page after page (bounded memory whatever the count).</summary>
    public static async IAsyncEnumerable<BounceRow> AllAsync(DeliverabilityDbContext db, BounceQuery query, int chunk, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        BounceCursor? after = null;
        while (true)
        {
            var page = await PageAsync(db, query, after, chunk, ct);
            foreach (var row in page.Rows)
            {
                yield return row;
            }

            if (page.NextCursor is null)
            {
                yield break;
            }

            after = BounceCursor.TryParse(page.NextCursor);
        }
    }

    /// <summary>The facet counts, or null when counting them would take longer than <see cref="FacetTimeoutSeconds"/>.</summary>
    public static async Task<BounceFacets?> FacetsAsync(DeliverabilityDbContext db, BounceQuery query, CancellationToken ct)
    {
        var sql = new SqlFilter(query);
        var branches = Branches(query).Select(b => $"SELECT {b.Table}.reason, {b.Table}.provider, {b.Table}.provider_code {sql.Where(b, null)}").ToList();
        if (branches.Count == 0)
        {
            return new BounceFacets(0, [], [], []);
        }

        var text = $"""
            SELECT CASE WHEN grouping(reason) = 0 THEN 'reason' WHEN grouping(provider) = 0 THEN 'provider' WHEN grouping(provider_code) = 0 THEN 'code' ELSE 'total' END,
                   coalesce(reason, provider, provider_code), count(*)
            FROM ({string.Join(" UNION ALL ", branches)}) u
            GROUP BY GROUPING SETS ((reason), (provider), (provider_code), ())
            """;
        var found = new Dictionary<string, List<(string, long)>> { ["reason"] = [], ["provider"] = [], ["code"] = [] };
        long total = 0;
        await using var command = await sql.CommandAsync(db, text, FacetTimeoutSeconds, ct);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var facet = reader.GetString(0);
                if (facet == "total")
                {
                    total = reader.GetInt64(2);
                }
                else if (!reader.IsDBNull(1))
                {
                    found[facet].Add((reader.GetString(1), reader.GetInt64(2)));
                }
            }
        }
        catch (NpgsqlException e) when (IsTimeout(e))
        {
            return null;
        }

        IReadOnlyList<(string, long)> Top(string facet) => found[facet].OrderByDescending(f => f.Item2).ThenBy(f => f.Item1, StringComparer.Ordinal).Take(FacetSize).ToList();
        return new BounceFacets(total, Top("reason"), Top("provider"), Top("code"));
    }

    private static bool IsTimeout(NpgsqlException e) => e.InnerException is TimeoutException || e is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled };

    private static BounceRow Read(DbDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new BounceRow(
            r.GetInt32(0) == 0 ? EvidenceSource.Bounce : EvidenceSource.LogLine, r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2),
            r.IsDBNull(3) ? null : r.GetInt64(3), S(4), r.GetString(5), S(6), r.GetString(7), S(8), S(9), S(10),
            r.IsDBNull(11) ? null : r.GetInt32(11), S(12), S(13), r.IsDBNull(14) ? null : r.GetInt64(14), S(15));
    }

    /// <summary>One table read by the explorer, with the columns that mean the same thing in both.</summary>
    internal sealed record Branch(EvidenceSource Source, string Table, string At, string Columns, string From);

    private static readonly Branch BounceBranch = new(EvidenceSource.Bounce, "b", "b.occurred_at",
        "0 AS source, b.id, b.occurred_at AS at, b.sending_ip_id, host(coalesce(b.sending_ip_address, s.address)) AS ip, b.recipient, b.sender_domain, b.kind, "
        + "b.reason, b.provider, b.provider_code, b.reply_code, b.status, b.diagnostic, b.raw_message_id, b.remote_mta",
        "bounces b LEFT JOIN sending_ips s ON s.id = b.sending_ip_id");

    private static readonly Branch LogBranch = new(EvidenceSource.LogLine, "d", "d.at",
        "1 AS source, d.id, d.at, d.sending_ip_id, host(coalesce(s.address, d.local_ip)), d.recipient, d.sender_domain, "
        + "CASE WHEN d.status = 'Deferred' THEN 'Delay' ELSE 'Bounce' END, d.reason, d.provider, d.provider_code, d.reply_code, d.enhanced_status, d.reply, NULL::bigint, d.relay_host",
        "mta_log_deliveries d LEFT JOIN sending_ips s ON s.id = d.sending_ip_id");

    /// <summary>The tables the filter can match: log lines are only bounces and delays, and a source filter keeps one.</summary>
    private static IEnumerable<Branch> Branches(BounceQuery query)
    {
        if (query.Source is null or EvidenceSource.Bounce)
        {
            yield return BounceBranch;
        }

        if (query.Source is null or EvidenceSource.LogLine && query.Kind is null or BounceKind.Bounce or BounceKind.Delay)
        {
            yield return LogBranch;
        }
    }

    /// <summary>The WHERE clause of each branch and its parameters (values are never written into the SQL).</summary>
    private sealed class SqlFilter(BounceQuery query)
    {
        private readonly List<NpgsqlParameter> _parameters = [];

        private string Param(object value)
        {
            var name = $"p{_parameters.Count}";
            _parameters.Add(new NpgsqlParameter(name, value));
            return "@" + name;
        }

        public string Where(Branch b, BounceCursor? after)
        {
            var t = b.Table;
            var where = new List<string>();
            if (b.Source == EvidenceSource.LogLine)
            {
                where.Add(query.Kind switch
                {
                    BounceKind.Bounce => "d.status IN ('Bounced', 'Expired')",
                    BounceKind.Delay => "d.status = 'Deferred'",
                    _ => "d.status <> 'Sent'",
                });
            }
            else if (query.Kind is { } kind)
            {
                where.Add($"b.kind = {Param(kind.ToString())}");
            }

            if (query.From is { } from) where.Add($"{b.At} >= {Param(from.ToUniversalTime())}");
            if (query.To is { } to) where.Add($"{b.At} < {Param(to.ToUniversalTime())}");
            if (query.Ip is { } ip && BounceQuery.TryParseRange(ip, out var cidr))
            {
                where.Add($"{t}.sending_ip_id IN (SELECT id FROM sending_ips WHERE address <<= CAST({Param(cidr)} AS cidr))");
            }

            if (query.Batch is { } batch)
            {
                where.Add(b.Source == EvidenceSource.Bounce ? $"b.batch_id = {Param(batch)}" : $"d.file_id IN (SELECT id FROM ingest_files WHERE batch_id = {Param(batch)})");
            }

            if (query.Provider is { } provider) where.Add($"{t}.provider = {Param(provider)}");
            if (query.Code is { } code) where.Add($"{t}.provider_code = {Param(code)}");
            if (query.Reason is { } reason) where.Add($"{t}.reason = {Param(reason)}");
            if (query.SenderDomain is { } senderDomain) where.Add($"lower({t}.sender_domain) = {Param(senderDomain)}");
            if (query.RecipientDomain is { } domain)
            {
                where.Add(b.Source == EvidenceSource.Bounce
                    ? $"lower(b.recipient_domain) = {Param(domain)}"
                    : $"lower(d.recipient) LIKE {Param("%@" + BounceQuery.LikeContains(domain).Trim('%'))}");
            }

            if (query.Text is { } text)
            {
                where.Add($"{(b.Source == EvidenceSource.Bounce ? "b.diagnostic" : "d.reply")} ILIKE {Param(BounceQuery.LikeContains(text))}");
            }

            if (after is { } cursor)
            {
                where.Add(CursorCondition(b, cursor));
            }

            return $"FROM {b.From}" + (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where));
        }

        /// <summary>Rows strictly after the cursor in (time, source, id) order: by time alone when the source differs.</summary>
        private string CursorCondition(Branch b, BounceCursor cursor)
        {
            var newest = query.Sort == BounceSort.Newest;
            var at = Param(cursor.At.ToUniversalTime());
            var id = Param(cursor.Id);
            var comparison = b.Source.CompareTo(cursor.Source);
            var strict = newest ? "<" : ">";
            return comparison == 0 ? $"({b.At}, {b.Table}.id) {strict} ({at}, {id})"
                : (comparison < 0) == newest ? $"{b.At} {strict}= {at}" : $"{b.At} {strict} {at}";
        }

        public async Task<NpgsqlCommand> CommandAsync(DeliverabilityDbContext db, string text, int timeoutSeconds, CancellationToken ct)
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await db.Database.OpenConnectionAsync(ct);
            }

            var command = new NpgsqlCommand(text, connection) { CommandTimeout = timeoutSeconds };
            command.Parameters.AddRange(_parameters.ToArray());
            return command;
        }
    }
}
