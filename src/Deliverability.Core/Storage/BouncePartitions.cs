using System.Globalization;
using System.Text.RegularExpressions;
using Deliverability.Core.Data;
using Deliverability.Core.Remediation;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.Core.Storage;

/// <summary>One partition of <c>bounces</c>: a month, the history before the first month, or the default for anything else.</summary>
public sealed record BouncePartition(string Name, DateTimeOffset? From, DateTimeOffset? To, bool IsDefault, long Rows, long Bytes)
{
    /// <summary>Rows counted exactly, or PostgreSQL's estimate for partitions it has analysed.</summary>
    public bool RowsEstimated { get; init; }
}

/// <summary>What retention removes at a cutoff: partitions dropped whole, rows deleted from the partitions that straddle it.</summary>
public sealed record BounceRetentionPlan(DateTimeOffset Cutoff, IReadOnlyList<BouncePartition> Drop, IReadOnlyList<(BouncePartition Partition, long Rows)> Trim)
{
    public long Rows => Drop.Sum(p => p.Rows) + Trim.Sum(t => t.Rows);

    public bool IsEmpty => Drop.Count == 0 && Trim.All(t => t.Rows == 0);
}

/// <summary>What a retention run removed.</summary>
public sealed record BounceRetentionResult(int PartitionsDropped, long RowsRemoved, long RawMessagesRemoved);

/// <summary>
/// The monthly range partitions of <c>bounces</c> (by <c>occurred_at</c>, UTC months; migration PartitionBouncesByMonth) and
/// their retention. Months are created ahead by <see cref="StorageMaintenanceJob"/> through the database function
/// <c>ensure_month_partition</c>, which also moves rows the default partition caught for that month. Rows before the first
/// month (a converted database's existing bounces, or bounces uploaded long after the fact) are in <c>bounces_history</c>.
/// Retention drops whole partitions before the cutoff and deletes the older rows of a partition that straddles it, with the
/// raw messages left without any bounce or complaint; <c>ip_bounce_hours</c>, the IP status, checklists and cases stay.
/// </summary>
public static partial class BouncePartitions
{
    /// <summary>Months created ahead of the current one.</summary>
    public const int MonthsAhead = 3;

    /// <summary>
    /// The shortest retention: whole months before the current one that cover the longest window a diagnosis reads
    /// (<see cref="IpStatusRules.BlockHistoryDays"/>, 90 days), so retention never changes a verdict.
    /// </summary>
    public const int MinRetentionMonths = 4;

    private const int DeleteBatch = 20_000;

    /// <summary>The first instant of the month of <paramref name="at"/> (UTC).</summary>
    public static DateTimeOffset MonthOf(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Bounces before this instant go: the first day of the month <paramref name="months"/> before the current one.</summary>
    public static DateTimeOffset CutoffOf(DateTimeOffset now, int months) => MonthOf(now).AddMonths(-months);

    /// <summary>Creates the partitions of the current month and <see cref="MonthsAhead"/> months ahead that do not exist yet; returns their names.</summary>
    public static async Task<List<string>> EnsureAheadAsync(DeliverabilityDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var created = new List<string>();
        for (var i = 0; i <= MonthsAhead; i++)
        {
            var month = DateOnly.FromDateTime(MonthOf(now).AddMonths(i).UtcDateTime);
            var name = await db.Database.SqlQuery<string?>($"SELECT ensure_month_partition('bounces'::regclass, 'occurred_at', {month}) AS \"Value\"").SingleAsync(ct);
            if (name is not null) created.Add(name);
        }

        return created;
    }

    /// <summary>Every partition, oldest first, the default last.</summary>
    public static async Task<List<BouncePartition>> ListAsync(DeliverabilityDbContext db, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            var rows = new List<(string Name, string Bound, long Estimate, long Bytes)>();
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                // Bounds print in the session's time zone: UTC makes them parse the same everywhere.
                await using (var zone = new NpgsqlCommand("SET LOCAL TimeZone = 'UTC'", connection, transaction))
                {
                    await zone.ExecuteNonQueryAsync(ct);
                }

                await using var command = new NpgsqlCommand("""
                    SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint, pg_total_relation_size(c.oid)
                    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'bounces'::regclass
                    """, connection, transaction);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
                }
            }

            var partitions = new List<BouncePartition>();
            foreach (var (name, bound, estimate, bytes) in rows)
            {
                var isDefault = bound == "DEFAULT";
                var from = isDefault ? null : BoundOf(FromBound().Match(bound));
                var to = isDefault ? null : BoundOf(ToBound().Match(bound));
                // reltuples is -1 until the partition is first analysed.
                var exact = estimate < 0;
                var count = exact ? await CountAsync(connection, name, null, ct) : estimate;
                partitions.Add(new BouncePartition(name, from, to, isDefault, count, bytes) { RowsEstimated = !exact });
            }

            return partitions.OrderBy(p => p.IsDefault).ThenBy(p => p.From ?? DateTimeOffset.MinValue).ToList();
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>What retention of <paramref name="months"/> months would remove now.</summary>
    public static async Task<BounceRetentionPlan> PlanAsync(DeliverabilityDbContext db, int months, DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = CutoffOf(now, Math.Max(months, MinRetentionMonths));
        var partitions = await ListAsync(db, ct);
        var drop = partitions.Where(p => !p.IsDefault && p.To is { } to && to <= cutoff).ToList();
        var trim = new List<(BouncePartition, long)>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            foreach (var p in partitions.Where(p => p.IsDefault || (p.From is not { } from || from < cutoff) && p.To is { } to && to > cutoff))
            {
                trim.Add((p, await CountAsync(connection, p.Name, cutoff, ct)));
            }
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }

        return new BounceRetentionPlan(cutoff, drop, trim);
    }

    /// <summary>
    /// Removes what <paramref name="plan"/> names: each whole partition in one transaction (detach, drop, and the raw messages
    /// left without rows), then the older rows of the straddling partitions in batches. A crash leaves each step done or not.
    /// </summary>
    public static async Task<BounceRetentionResult> ApplyAsync(DeliverabilityDbContext db, BounceRetentionPlan plan, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await ExecuteAsync(connection, null, "CREATE TEMP TABLE IF NOT EXISTS retention_raw (id bigint) ON COMMIT DELETE ROWS", ct);
            // First the intent: from now on the hourly counts before the cutoff are all that is left of those bounces.
            await using (var record = new NpgsqlCommand("""
                INSERT INTO storage_settings (id, bounces_removed_before, updated_at) VALUES (1, @cutoff, now())
                ON CONFLICT (id) DO UPDATE SET bounces_removed_before = GREATEST(storage_settings.bounces_removed_before, excluded.bounces_removed_before)
                """, connection))
            {
                record.Parameters.AddWithValue("cutoff", plan.Cutoff);
                await record.ExecuteNonQueryAsync(ct);
            }

            long rows = 0, raw = 0;
            var dropped = 0;
            foreach (var partition in plan.Drop)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                // Detaching takes a short exclusive lock on bounces: wait a little for readers, else try again next run.
                await ExecuteAsync(connection, transaction, "SET LOCAL lock_timeout = '10s'", ct);
                var name = Quote(partition.Name);
                await ExecuteAsync(connection, transaction, $"INSERT INTO retention_raw SELECT DISTINCT raw_message_id FROM {name}", ct);
                rows += await CountAsync(connection, partition.Name, null, ct, transaction);
                await ExecuteAsync(connection, transaction, $"ALTER TABLE bounces DETACH PARTITION {name}", ct);
                await ExecuteAsync(connection, transaction, $"DROP TABLE {name}", ct);
                raw += await DeleteOrphanRawMessagesAsync(connection, transaction, ct);
                await transaction.CommitAsync(ct);
                dropped++;
            }

            foreach (var (partition, _) in plan.Trim)
            {
                while (true)
                {
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    await using var delete = new NpgsqlCommand($"""
                        WITH gone AS (
                            DELETE FROM ONLY {Quote(partition.Name)} WHERE id IN (SELECT id FROM ONLY {Quote(partition.Name)} WHERE occurred_at < @cutoff LIMIT {DeleteBatch})
                            RETURNING raw_message_id),
                        noted AS (INSERT INTO retention_raw SELECT DISTINCT raw_message_id FROM gone)
                        SELECT count(*) FROM gone
                        """, connection, transaction);
                    delete.Parameters.AddWithValue("cutoff", plan.Cutoff);
                    var removed = (long)(await delete.ExecuteScalarAsync(ct))!;
                    raw += await DeleteOrphanRawMessagesAsync(connection, transaction, ct);
                    await transaction.CommitAsync(ct);
                    if (removed == 0) break;
                    rows += removed;
                }
            }

            return new BounceRetentionResult(dropped, rows, raw);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>Raw messages named in <c>retention_raw</c> that no bounce or complaint refers to any more (a re-parse would bring the bounces back).</summary>
    private static async Task<long> DeleteOrphanRawMessagesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            DELETE FROM raw_messages r USING (SELECT DISTINCT id FROM retention_raw) t
            WHERE r.id = t.id
              AND NOT EXISTS (SELECT 1 FROM bounces b WHERE b.raw_message_id = r.id)
              AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.raw_message_id = r.id)
            """, connection, transaction);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string partition, DateTimeOffset? before, CancellationToken ct, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT count(*) FROM ONLY {Quote(partition)}" + (before is null ? "" : " WHERE occurred_at < @before"), connection, transaction);
        if (before is { } at) command.Parameters.AddWithValue("before", at);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static DateTimeOffset? BoundOf(Match match) =>
        match.Success ? DateTimeOffset.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    [GeneratedRegex(@"FROM \('([^']+)'\)")]
    private static partial Regex FromBound();

    [GeneratedRegex(@"TO \('([^']+)'\)")]
    private static partial Regex ToBound();
}
