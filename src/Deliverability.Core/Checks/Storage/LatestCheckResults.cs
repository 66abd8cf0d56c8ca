using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Checks.Storage;

/// <summary>An IP's latest completed check run: when it finished (null: never checked) and its results.</summary>
public sealed record LatestChecks(DateTimeOffset? FinishedAt, IReadOnlyList<StoredCheckResult> Results)
{
    public static readonly LatestChecks None = new(null, []);
}

/// <summary>
/// "The latest check results" of an IP: the results of its newest completed run (every run checks everything, so one run is
/// one consistent picture). The diagnosis, the delisting case, the IP page and the API read this same query, so they cannot disagree.
/// </summary>
public static class LatestCheckResults
{
    /// <summary>When the newest completed run finished (null: the IP was never checked) and its results.</summary>
    public static async Task<(DateTimeOffset? FinishedAt, List<StoredCheckResult> Results)> ReadAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct) =>
        (await ReadManyAsync(db, [sendingIpId], ct)).GetValueOrDefault(sendingIpId, (null, []));

    /// <summary>The same for many IPs at once (two queries); an IP never checked has no entry.</summary>
    public static async Task<Dictionary<long, (DateTimeOffset? FinishedAt, List<StoredCheckResult> Results)>> ReadManyAsync(DeliverabilityDbContext db,
        long[] sendingIpIds, CancellationToken ct)
    {
        var completed = nameof(CheckRunStatus.Completed);
        var runs = await db.Database.SqlQuery<LatestRun>($"""
            SELECT DISTINCT ON (sending_ip_id) id, sending_ip_id, finished_at FROM check_runs
            WHERE sending_ip_id = ANY({sendingIpIds}) AND status = {completed} AND finished_at IS NOT NULL
            ORDER BY sending_ip_id, finished_at DESC, id DESC
            """).ToListAsync(ct);
        if (runs.Count == 0) return [];

        var runIds = runs.Select(r => r.Id).ToArray();
        var rows = (await db.CheckResults.AsNoTracking().Where(r => runIds.Contains(r.RunId))
                .OrderBy(r => r.Check).ThenBy(r => r.Target).ToListAsync(ct))
            .ToLookup(r => r.RunId);
        return runs.ToDictionary(r => r.SendingIpId, r => (r.FinishedAt, rows[r.Id].ToList()));
    }

    /// <summary>The same, as one value the IP page reads once and hands to the sections that show it.</summary>
    public static async Task<LatestChecks> LoadAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var (finishedAt, results) = await ReadAsync(db, sendingIpId, ct);
        return new LatestChecks(finishedAt, results);
    }

    // Columns come back snake_case: the naming convention applies to this query type too.
    private sealed class LatestRun
    {
        public long Id { get; set; }
        public long SendingIpId { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
    }
}
