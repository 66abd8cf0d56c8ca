using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Deliverability.Core.Storage;

/// <summary>Evidence with a retention of its own besides bounces (those have <see cref="BounceRetention"/>, by partition).</summary>
public enum RetainedEvidence
{
    /// <summary>MTA log lines: deliveries and logins. Their hourly counts stay.</summary>
    LogLines,

    /// <summary>
    /// The results of DNS check runs. The runs, the changes they found, each IP's latest completed run and the latest known result of
    /// each check (what the next run's change is found against) stay.
    /// </summary>
    CheckResults,
}

/// <summary>What retention of one kind removes at a cutoff.</summary>
public sealed record EvidenceRetentionPlan(RetainedEvidence Kind, DateTimeOffset Cutoff, long Rows)
{
    public bool IsEmpty => Rows == 0;

    /// <summary>
    /// Rows is PostgreSQL's planner estimate (above <see cref="EvidenceRetention.ExactCountLimit"/> rows a count would keep the
    /// page waiting for seconds); for check results it also counts the latest known answers that stay, so it is an upper bound.
    /// </summary>
    public bool Estimated { get; init; }
}

/// <summary>One kind of evidence as the Settings page shows it: the setting, how much is stored, and what the next daily run removes.</summary>
public sealed record EvidenceStorage(RetainedEvidence Kind, int? RetentionMonths, long Rows, DateTimeOffset? Oldest, EvidenceRetentionPlan? NextRun)
{
    /// <summary>Rows is PostgreSQL's estimate (the table was analysed), not a count.</summary>
    public bool RowsEstimated { get; init; }
}

/// <summary>
/// How long MTA log lines and check results are kept (Admins only), and their removal by the daily <see cref="StorageMaintenanceJob"/>.
/// Neither table is partitioned: rows before the cutoff are deleted in batches, each batch its own transaction. What the
/// diagnosis and the pages summarise stays: the hourly log counts (<c>mta_log_hours</c>, <c>mta_log_login_hours</c>), the
/// check runs with the changes they found (the timeline's listed/delisted events), the latest completed run of every IP and the
/// latest known result of each check.
/// </summary>
public sealed partial class EvidenceRetention(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock, ILogger<EvidenceRetention> logger)
{
    private const int LogLineBatch = 20_000;

    /// <summary>Check runs whose results are removed in one transaction (about 20 results each).</summary>
    private const int CheckRunBatch = 1_000;

    public static IReadOnlyList<int?> Choices => BounceRetention.Choices;

    public async Task<IReadOnlyList<EvidenceStorage>> ReadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.StorageSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        var shown = new List<EvidenceStorage>();
        foreach (var kind in Enum.GetValues<RetainedEvidence>())
        {
            var months = MonthsOf(settings, kind);
            var (rows, estimated, oldest) = await StoredAsync(db, kind, ct);
            var plan = months is { } kept ? await PlanAsync(db, kind, kept, now, ct) : null;
            shown.Add(new EvidenceStorage(kind, months, rows, oldest, plan) { RowsEstimated = estimated });
        }

        return shown;
    }

    /// <summary>Keeps <paramref name="months"/> whole months of <paramref name="kind"/> before the current one (null: everything).</summary>
    public async Task SetAsync(RetainedEvidence kind, int? months, bool isAdmin, string user, CancellationToken ct)
    {
        await BounceRetention.ChangeAsync(dbFactory, clock, months, isAdmin, user, settings =>
        {
            if (kind == RetainedEvidence.LogLines)
            {
                settings.LogLineRetentionMonths = months;
            }
            else
            {
                settings.CheckResultRetentionMonths = months;
            }
        }, ct);
        LogChanged(user, kind, months);
    }

    public static int? MonthsOf(StorageSettings? settings, RetainedEvidence kind) =>
        kind == RetainedEvidence.LogLines ? settings?.LogLineRetentionMonths : settings?.CheckResultRetentionMonths;

    /// <summary>What retention of <paramref name="months"/> months of <paramref name="kind"/> would remove now.</summary>
    public static async Task<EvidenceRetentionPlan> PlanAsync(DeliverabilityDbContext db, RetainedEvidence kind, int months, DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = CutoffOf(now, months);
        // The planner's estimate first: counting millions of rows (the check results' per-row test above all) took 42 s on 2M results.
        var estimate = 0L;
        foreach (var rows in kind == RetainedEvidence.LogLines
                     ? ["SELECT 1 FROM mta_log_deliveries WHERE at < @cutoff", "SELECT 1 FROM mta_log_logins WHERE at < @cutoff"]
                     : new[] { "SELECT 1 FROM check_results r JOIN check_runs u ON u.id = r.run_id WHERE u.started_at < @cutoff" })
        {
            estimate += await PlannedRowsAsync(db, rows, cutoff, ct);
        }

        if (estimate > ExactCountLimit)
        {
            return new EvidenceRetentionPlan(kind, cutoff, estimate) { Estimated = true };
        }

        var sql = kind == RetainedEvidence.LogLines
            ? "SELECT (SELECT count(*) FROM mta_log_deliveries WHERE at < @cutoff) + (SELECT count(*) FROM mta_log_logins WHERE at < @cutoff)"
            : $"""
              {LatestRunsSql}
              SELECT count(*) FROM check_results r JOIN check_runs u ON u.id = r.run_id
              WHERE u.started_at < @cutoff AND u.id NOT IN (SELECT id FROM latest) AND {RemovableResultSql}
              """;
        return new EvidenceRetentionPlan(kind, cutoff, Convert.ToInt64(await ScalarAsync(db, sql, cutoff, ct), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Rows before this instant go: the first day of the month <paramref name="months"/> (at least the minimum) before the current one.</summary>
    public static DateTimeOffset CutoffOf(DateTimeOffset now, int months) => BouncePartitions.CutoffOf(now, Math.Max(months, BouncePartitions.MinRetentionMonths));

    /// <summary>Above this many rows (the planner's estimate) the page shows the estimate instead of counting.</summary>
    public const long ExactCountLimit = 50_000;

    /// <summary>How many rows PostgreSQL's planner expects <paramref name="sql"/> (our own constant text) to return.</summary>
    private static async Task<long> PlannedRowsAsync(DeliverabilityDbContext db, string sql, DateTimeOffset cutoff, CancellationToken ct)
    {
        var plan = (string)(await ScalarAsync(db, $"EXPLAIN (FORMAT JSON) {sql}", cutoff, ct))!;
        using var json = System.Text.Json.JsonDocument.Parse(plan);
        return (long)json.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }

    /// <summary>
    /// Removes <paramref name="kind"/> before <paramref name="cutoff"/>, a batch per transaction (a crash leaves each batch done or not);
    /// returns the rows removed. It does not rely on a plan's count, which may be an estimate.
    /// </summary>
    public static async Task<long> ApplyAsync(DeliverabilityDbContext db, RetainedEvidence kind, DateTimeOffset cutoff, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            return kind == RetainedEvidence.LogLines ? await RemoveLogLinesAsync(connection, cutoff, ct) : await RemoveCheckResultsAsync(connection, cutoff, ct);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    private static async Task<long> RemoveLogLinesAsync(NpgsqlConnection connection, DateTimeOffset cutoff, CancellationToken ct)
    {
        // First the intent: from now on the hourly counts before the cutoff are all that is left of those lines.
        await ExecuteAsync(connection, """
            INSERT INTO storage_settings (id, log_lines_removed_before, updated_at) VALUES (1, @cutoff, now())
            ON CONFLICT (id) DO UPDATE SET log_lines_removed_before = GREATEST(storage_settings.log_lines_removed_before, excluded.log_lines_removed_before)
            """, cutoff, ct);
        long removed = 0;
        foreach (var table in new[] { "mta_log_deliveries", "mta_log_logins" })
        {
            while (true)
            {
                var batch = await ExecuteAsync(connection,
                    $"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE at < @cutoff LIMIT {LogLineBatch})", cutoff, ct);
                removed += batch;
                if (batch < LogLineBatch) break;
            }
        }

        return removed;
    }

    private static async Task<long> RemoveCheckResultsAsync(NpgsqlConnection connection, DateTimeOffset cutoff, CancellationToken ct)
    {
        // The runs whose results go, found once: every run before the cutoff but each IP's latest completed one.
        await ExecuteAsync(connection, $"""
            CREATE TEMP TABLE IF NOT EXISTS retention_runs (id bigint PRIMARY KEY);
            TRUNCATE retention_runs;
            {LatestRunsSql}
            INSERT INTO retention_runs SELECT u.id FROM check_runs u WHERE u.started_at < @cutoff AND u.id NOT IN (SELECT id FROM latest);
            """, cutoff, ct);
        long removed = 0;
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var command = new NpgsqlCommand($"""
                WITH batch AS (DELETE FROM retention_runs WHERE id IN (SELECT id FROM retention_runs LIMIT {CheckRunBatch}) RETURNING id)
                DELETE FROM check_results r USING batch WHERE r.run_id = batch.id AND {RemovableResultSql}
                """, connection, transaction);
            var results = await command.ExecuteNonQueryAsync(ct);
            await using var left = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM retention_runs)", connection, transaction);
            var more = (bool)(await left.ExecuteScalarAsync(ct))!;
            await transaction.CommitAsync(ct);
            removed += results;
            if (!more) break;
        }

        return removed;
    }

    /// <summary>
    /// A result that no later check compares with: an Unknown, or one with a later result that said something. The latest known
    /// result of each check stays whatever its age, because the next run's listed/delisted change is found against it
    /// (<see cref="Checks.Storage.CheckIpJob"/>): a blocklist that answered nothing for months and then "not listed" is still a "delisted".
    /// The <c>checked_at</c> bound starts the probe of the (IP, check, target, checked_at) index at the row itself, not at the
    /// key's first result: a year of hourly checks would otherwise be read again for every result removed.
    /// </summary>
    private const string RemovableResultSql = """
        (r.status = 'Unknown' OR EXISTS (
            SELECT 1 FROM check_results n WHERE n.sending_ip_id = r.sending_ip_id AND n."check" = r."check" AND n.target = r.target
              AND n.checked_at >= r.checked_at AND n.run_id > r.run_id AND n.status <> 'Unknown'))
        """;

    /// <summary>Each IP's latest completed run, as <see cref="Checks.Storage.LatestCheckResults"/> picks it: the one every page and the diagnosis read.</summary>
    private const string LatestRunsSql = """
        WITH latest AS (
            SELECT DISTINCT ON (sending_ip_id) id FROM check_runs WHERE status = 'Completed' AND finished_at IS NOT NULL
            ORDER BY sending_ip_id, finished_at DESC, id DESC)
        """;

    /// <summary>Rows stored now (PostgreSQL's estimate once a table is analysed, so the page stays quick on big tables) and the oldest one's time.</summary>
    private static async Task<(long Rows, bool Estimated, DateTimeOffset? Oldest)> StoredAsync(DeliverabilityDbContext db, RetainedEvidence kind, CancellationToken ct)
    {
        var (tables, oldest) = kind == RetainedEvidence.LogLines
            ? (new[] { "mta_log_deliveries", "mta_log_logins" }, "SELECT least((SELECT min(at) FROM mta_log_deliveries), (SELECT min(at) FROM mta_log_logins))")
            : (new[] { "check_results" }, "SELECT min(checked_at) FROM check_results");
        long rows = 0;
        var estimated = false;
        foreach (var table in tables)
        {
            // reltuples is -1 until the table is first analysed, and 0 for a table analysed while empty: then it is counted.
            var estimate = (long)(await ScalarAsync(db, $"SELECT reltuples::bigint FROM pg_class WHERE oid = '{table}'::regclass", null, ct))!;
            estimated |= estimate > 0;
            rows += estimate > 0 ? estimate : (long)(await ScalarAsync(db, $"SELECT count(*) FROM {table}", null, ct))!;
        }

        return (rows, estimated, await ScalarAsync(db, oldest, null, ct) is DateTime first ? new DateTimeOffset(first, TimeSpan.Zero) : null);
    }

    /// <summary>One value of <paramref name="sql"/> (our own constant text; the cutoff, when given, as a parameter); null for SQL NULL.</summary>
    private static async Task<object?> ScalarAsync(DeliverabilityDbContext db, string sql, DateTimeOffset? cutoff, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (cutoff is { } at) command.Parameters.AddWithValue("cutoff", at);
            var value = await command.ExecuteScalarAsync(ct);
            return value is DBNull ? null : value;
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("cutoff", cutoff);
        return await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} set the retention of {Kind} to {Months} months (none: everything kept)")]
    private partial void LogChanged(string user, RetainedEvidence kind, int? months);
}
