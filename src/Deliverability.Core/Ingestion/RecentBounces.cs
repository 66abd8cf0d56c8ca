using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ingestion;

/// <summary>An IP's newest bounces, as the IP page lists them (a row opens the stored message).</summary>
public sealed class RecentBounces(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public sealed record Row(long RawMessageId, DateTimeOffset OccurredAt, string Recipient, int? ReplyCode, string? Status, string Reason, string? Diagnostic);

    public async Task<IReadOnlyList<Row>> ForIpAsync(long sendingIpId, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Bounces.AsNoTracking().Where(b => b.SendingIpId == sendingIpId).OrderByDescending(b => b.OccurredAt).Take(take)
            .Select(b => new Row(b.RawMessageId, b.OccurredAt, b.Recipient, b.ReplyCode, b.Status, b.Reason, b.Diagnostic)).ToListAsync(ct);
    }
}
