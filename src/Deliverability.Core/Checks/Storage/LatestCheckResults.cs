using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Checks.Storage;

/// <summary>
/// "The latest check results" of an IP: the results of its newest completed run (every run checks everything, so one run is
/// one consistent picture). The diagnosis and the delisting case read this same query, so they cannot disagree.
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
}
