using Deliverability.Core.Checks;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Evidence;

/// <summary>One day's Sender Score: the newest check of that day that returned a score.</summary>
public sealed record SenderScorePoint(DateOnly Day, int Score);

/// <summary>One day of Outlook.com SNDS data for an IP, as uploaded.</summary>
public sealed record SndsPoint(DateOnly Day, int Recipients, string FilterResult, decimal? ComplaintRate, bool ComplaintRateIsUpperBound, int TrapHits);

/// <summary>Read models of the IP page's history charts: stored check results and SNDS days, per day, oldest first.</summary>
public sealed class IpHistory(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock)
{
    public const int DefaultDays = 90;

    /// <summary>The IP page's charts: Sender Score and SNDS days of the last <see cref="DefaultDays"/> days.</summary>
    public async Task<(IReadOnlyList<SenderScorePoint> Scores, IReadOnlyList<SndsPoint> Snds)> RecentAsync(long sendingIpId, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-DefaultDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await SenderScoreAsync(db, sendingIpId, since, ct), await SndsAsync(db, sendingIpId, DateOnly.FromDateTime(since.UtcDateTime), ct));
    }

    /// <summary>
    /// Sender Score per day. Checks that returned no score (the lookup failed, or Validity has no score for the IP) are
    /// not points: a gap, never a 0.
    /// </summary>
    public static async Task<IReadOnlyList<SenderScorePoint>> SenderScoreAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset since, CancellationToken ct)
    {
        var results = await db.CheckResults.AsNoTracking()
            .Where(r => r.SendingIpId == sendingIpId && r.Check == SenderScoreCheck.Name && r.CheckedAt >= since)
            .OrderBy(r => r.CheckedAt).Select(r => new { r.CheckedAt, r.Details }).ToListAsync(ct);
        return results.Select(r => (Day: DateOnly.FromDateTime(r.CheckedAt.UtcDateTime), Score: SenderScoreCheck.StoredScore(r.Details)))
            .Where(r => r.Score is not null).GroupBy(r => r.Day).Select(g => new SenderScorePoint(g.Key, g.Last().Score!.Value)).ToList();
    }

    public static async Task<IReadOnlyList<SndsPoint>> SndsAsync(DeliverabilityDbContext db, long sendingIpId, DateOnly since, CancellationToken ct) =>
        await db.SndsDays.AsNoTracking().Where(d => d.SendingIpId == sendingIpId && d.Day >= since).OrderBy(d => d.Day)
            .Select(d => new SndsPoint(d.Day, d.MessageRecipients, d.FilterResult, d.ComplaintRate, d.ComplaintRateIsUpperBound, d.TrapHits))
            .ToListAsync(ct);
}
