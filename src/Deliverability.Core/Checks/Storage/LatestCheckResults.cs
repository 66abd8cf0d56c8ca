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
    public static async Task<(DateTimeOffset? FinishedAt, List<StoredCheckResult> Results)> ReadAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var run = await db.CheckRuns.AsNoTracking()
            .Where(r => r.SendingIpId == sendingIpId && r.Status == CheckRunStatus.Completed && r.FinishedAt != null)
            .OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.Id)
            .Select(r => new { r.Id, r.FinishedAt }).FirstOrDefaultAsync(ct);
        if (run is null) return (null, []);

        var rows = await db.CheckResults.AsNoTracking().Where(r => r.RunId == run.Id)
            .OrderBy(r => r.Check).ThenBy(r => r.Target).ToListAsync(ct);
        return (run.FinishedAt, rows);
    }

    /// <summary>The same, as one value the IP page reads once and hands to the sections that show it.</summary>
    public static async Task<LatestChecks> LoadAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var (finishedAt, results) = await ReadAsync(db, sendingIpId, ct);
        return new LatestChecks(finishedAt, results);
    }
}
