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
        var runs = await db.CheckRuns.AsNoTracking()
            .Where(r => sendingIpIds.Contains(r.SendingIpId) && r.Status == CheckRunStatus.Completed && r.FinishedAt != null)
            .GroupBy(r => r.SendingIpId)
            .Select(g => g.OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.Id).Select(r => new { r.Id, r.SendingIpId, r.FinishedAt }).First())
            .ToListAsync(ct);
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
}
