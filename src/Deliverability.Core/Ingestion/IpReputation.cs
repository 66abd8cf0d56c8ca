using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ingestion;

/// <summary>The IP page's reputation: the blocklist rows and Sender Score of the latest check run, SNDS days and feedback-loop complaints.</summary>
public sealed class IpReputation(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock)
{
    public sealed record SndsRow(DateOnly Day, string FilterResult, int MessageRecipients, decimal? ComplaintRate, bool ComplaintRateIsUpperBound, int TrapHits);

    public sealed record ComplaintRow(DateTimeOffset OccurredAt, string? Provider, string? FeedbackType, string? Sender);

    /// <summary><see cref="Untrusted"/>: blocklist results that are unknown because the resolver or the list failed its test probes.</summary>
    public sealed record View(IReadOnlyList<StoredCheckResult> Blocklists, int Untrusted, int? SenderScore, IReadOnlyList<SndsRow> Snds,
        IReadOnlyList<ComplaintRow> Complaints, int Complaints30d);

    public async Task<View> LoadAsync(long sendingIpId, LatestChecks checks, CancellationToken ct)
    {
        var blocklists = checks.Results.Where(r => r.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => CheckResultView.Rank(r.Status)).ThenBy(r => r.Check).ToList();
        var untrusted = blocklists.Count(r => r.Status == CheckStatus.Unknown && CheckResultView.Parse(r.Details)?["untrusted"] is not null);
        var senderScore = checks.Results.Where(r => r.Check == SenderScoreCheck.Name).Select(r => SenderScoreCheck.StoredScore(r.Details)).FirstOrDefault();
        var since30 = clock.GetUtcNow().AddDays(-30);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var snds = await db.SndsDays.AsNoTracking().Where(d => d.SendingIpId == sendingIpId).OrderByDescending(d => d.Day).Take(14)
            .Select(d => new SndsRow(d.Day, d.FilterResult, d.MessageRecipients, d.ComplaintRate, d.ComplaintRateIsUpperBound, d.TrapHits)).ToListAsync(ct);
        var count30d = await db.Complaints.CountAsync(c => c.SendingIpId == sendingIpId && c.OccurredAt >= since30, ct);
        var complaints = await db.Complaints.AsNoTracking().Where(c => c.SendingIpId == sendingIpId).OrderByDescending(c => c.OccurredAt).Take(10)
            .Select(c => new ComplaintRow(c.OccurredAt, c.Provider, c.FeedbackType, c.Sender)).ToListAsync(ct);
        return new View(blocklists, untrusted, senderScore, snds, complaints, count30d);
    }
}
