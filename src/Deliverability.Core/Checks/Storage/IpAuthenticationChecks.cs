using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Checks.Storage;

/// <summary>The IP page's authentication section: the latest run's checks other than blocklists and Sender Score, failing first, and the history of changes.</summary>
public sealed class IpAuthenticationChecks(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public sealed record View(DateTimeOffset? LastRunAt, IReadOnlyList<StoredCheckResult> Checks, IReadOnlyList<CheckChange> Changes);

    public async Task<View> LoadAsync(long sendingIpId, LatestChecks latest, CancellationToken ct)
    {
        var checks = latest.Results.Where(r => !r.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.OrdinalIgnoreCase) && r.Check != SenderScoreCheck.Name)
            .OrderBy(r => CheckResultView.Rank(r.Status)).ThenBy(r => r.Check).ThenBy(r => r.Target).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changes = await db.CheckChanges.AsNoTracking().Where(c => c.SendingIpId == sendingIpId).OrderByDescending(c => c.At).Take(30).ToListAsync(ct);
        return new View(latest.FinishedAt, checks, changes);
    }
}
