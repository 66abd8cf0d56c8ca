using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Which IPs the hourly refresh must diagnose again, found in one set-based query: an IP is due when its diagnosis was asked for
/// and has not completed, when it has no status yet, or when a piece of its evidence crossed the edge of a window the rules
/// count over (<see cref="Windows"/>) since it was last known current. An IP is known current as of the later of its status
/// (<c>ip_status.computed_at</c>) and the previous refresh (<see cref="IpDiagnosisScan"/>), which found it not due.
/// Evidence is located by time across all IPs (hour indexes on the hourly tables), so the cost follows the evidence that moved,
/// not the number of IPs.
/// </summary>
public static class DiagnosisDue
{
    /// <summary>
    /// Every window a rule counts over, from now backwards: zero (evidence dated in the future becomes current), the 24 hours, the
    /// recipient-rate windows, the block and throttle days, the evidence days and young-IP days, the block history.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> Windows = new[] { TimeSpan.Zero, TimeSpan.FromHours(24), TimeSpan.FromDays(IpStatusRules.BlockedDays),
            TimeSpan.FromDays(RemediationRules.EvidenceDays), TimeSpan.FromDays(RemediationRules.YoungIpDays), TimeSpan.FromDays(IpStatusRules.BlockHistoryDays) }
        .Concat(RecipientCauses.RateWindowDays.Select(d => TimeSpan.FromDays(d)))
        .Distinct().Order().ToList();

    /// <summary>How long a request may wait for its own job before the refresh takes it (the job may just be queued).</summary>
    public static readonly TimeSpan PendingGrace = TimeSpan.FromMinutes(15);

    /// <summary>Days of logged attempts the volume rules compare (today against the 7 days before): they move at midnight UTC.</summary>
    private const int VolumeDays = 8;

    // Each branch: rows whose time + window fell in (known current, now]; bounce hours to the second (their first and last
    // bounce), log hours to the hour, SNDS days to the day.
    private const string Sql = """
        WITH w AS (SELECT make_interval(secs => x) AS span FROM unnest(@windows) AS x),
        known AS (SELECT ip.id, GREATEST(@since, s.computed_at) AS at FROM sending_ips ip LEFT JOIN ip_status s ON s.sending_ip_id = ip.id),
        due AS (
            SELECT h.sending_ip_id AS id FROM w JOIN ip_bounce_hours h ON h.hour <= @now - w.span AND h.hour > @since - w.span - interval '1 hour'
                JOIN known k ON k.id = h.sending_ip_id WHERE h.first_at <= @now - w.span AND h.last_at > k.at - w.span
            UNION
            SELECT l.sending_ip_id FROM w JOIN mta_log_hours l ON l.hour <= @now - w.span AND l.hour > @since - w.span - interval '1 hour'
                JOIN known k ON k.id = l.sending_ip_id WHERE l.hour > k.at - w.span - interval '1 hour'
            UNION
            SELECT c.sending_ip_id FROM w JOIN complaints c ON c.occurred_at <= @now - w.span AND c.occurred_at > @since - w.span
                JOIN known k ON k.id = c.sending_ip_id WHERE c.occurred_at > k.at - w.span
            UNION
            SELECT d.sending_ip_id FROM w JOIN snds_days d ON d.day <= ((@now - w.span) AT TIME ZONE 'UTC')::date
                    AND d.day >= ((@since - w.span) AT TIME ZONE 'UTC')::date - 1
                JOIN known k ON k.id = d.sending_ip_id WHERE d.day >= ((k.at - w.span) AT TIME ZONE 'UTC')::date - 1
            UNION
            SELECT k.id FROM w JOIN snds_ip_status st ON st.reported_at <= @now - w.span AND st.reported_at > @since - w.span
                JOIN sending_ips ip ON ip.address BETWEEN st.first_ip AND st.last_ip JOIN known k ON k.id = ip.id WHERE st.reported_at > k.at - w.span
            UNION
            SELECT l.sending_ip_id FROM mta_log_hours l JOIN known k ON k.id = l.sending_ip_id
                WHERE l.hour > @now - make_interval(days => @volumeDays) AND (@now AT TIME ZONE 'UTC')::date > (k.at AT TIME ZONE 'UTC')::date
            UNION
            SELECT r.sending_ip_id FROM ip_diagnosis_requests r WHERE r.requested_at <= @pendingBefore
            UNION
            SELECT ip.id FROM sending_ips ip WHERE NOT EXISTS (SELECT 1 FROM ip_status s WHERE s.sending_ip_id = ip.id))
        SELECT DISTINCT id FROM due WHERE id IS NOT NULL ORDER BY id
        """;

    /// <summary>The IPs due at <paramref name="now"/>, given that every IP not then due was current at <paramref name="since"/>.</summary>
    public static async Task<List<long>> FindAsync(DeliverabilityDbContext db, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.AddWithValue("windows", Windows.Select(w => w.TotalSeconds).ToArray());
            command.Parameters.AddWithValue("since", since);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("volumeDays", VolumeDays);
            command.Parameters.AddWithValue("pendingBefore", now - PendingGrace);
            var ids = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
            return ids;
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }
}
