using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.Core.Evidence;

/// <summary>
/// One UTC day for the dashboard chart: IPs refused as blocked that day (bounces of the block family) and IPs whose
/// newest completed check run by the end of that day found them on a blocklist (reputation lists left out).
/// </summary>
public sealed record FleetDay(DateOnly Day, int Blocked, int Listed);

/// <summary>The dashboard's "blocked and listed IPs over time", from ip_bounce_hours and the check history.</summary>
public sealed class FleetHistory(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock)
{
    public const int DefaultDays = 30;

    /// <summary>The dashboard chart: the last <see cref="DefaultDays"/> UTC days, today included.</summary>
    public async Task<IReadOnlyList<FleetDay>> RecentAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await DaysAsync(db, today.AddDays(1 - DefaultDays), today, ct);
    }

    public static async Task<IReadOnlyList<FleetDay>> DaysAsync(DeliverabilityDbContext db, DateOnly from, DateOnly to, CancellationToken ct)
    {
        const string text = """
            SELECT d.day::date,
                (SELECT count(DISTINCT h.sending_ip_id) FROM ip_bounce_hours h
                  WHERE h.family = @block AND h.hour >= d.day AT TIME ZONE 'UTC' AND h.hour < (d.day + interval '1 day') AT TIME ZONE 'UTC')::int,
                (SELECT count(*) FROM sending_ips s WHERE EXISTS (
                    SELECT 1 FROM check_results r
                    WHERE r.run_id = (SELECT c.id FROM check_runs c
                                      WHERE c.sending_ip_id = s.id AND c.status = 'Completed' AND c.finished_at < (d.day + interval '1 day') AT TIME ZONE 'UTC'
                                      ORDER BY c.finished_at DESC, c.id DESC LIMIT 1)
                      AND r."check" LIKE 'blocklist:%' AND r.status = 'Fail' AND NOT (substr(r."check", 11) = ANY(@reputation))))::int
            FROM generate_series(@from::timestamp, @to::timestamp, interval '1 day') AS d(day)
            ORDER BY 1
            """;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(text, connection);
        command.Parameters.AddWithValue("block", ReasonFamily.Block);
        command.Parameters.AddWithValue("reputation", BlocklistCatalogue.All.Where(z => z.IsReputation).Select(z => z.Zone).ToArray());
        command.Parameters.AddWithValue("from", from.ToDateTime(TimeOnly.MinValue));
        command.Parameters.AddWithValue("to", to.ToDateTime(TimeOnly.MinValue));
        var days = new List<FleetDay>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            days.Add(new FleetDay(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return days;
    }
}
