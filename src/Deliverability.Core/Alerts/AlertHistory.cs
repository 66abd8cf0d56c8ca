using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Alerts;

public sealed record AlertDeliveryRow(string Channel, AlertChannelType Type, AlertDeliveryStatus Status, int Attempts, string? LastError,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? SentAt);

public sealed record AlertRow(long Id, AlertEventKind Kind, string Title, string Text, string LinkPath, string? Link, int EventCount,
    bool IsSummary, DateTimeOffset CreatedAt, IReadOnlyList<AlertDeliveryRow> Deliveries);

/// <summary>Events recorded but not sent (muted, rule off, no channel) or still held by a stacking window.</summary>
public sealed record UnsentEventRow(long Id, AlertEventKind Kind, string Title, AlertEventState State, string LinkPath, DateTimeOffset RecordedAt);

/// <summary>The alert history page's read model: alerts newest first with each channel's delivery, and events not sent.</summary>
public sealed class AlertHistory(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<AlertRow> Rows, int Total)> PageAsync(int skip, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await db.Alerts.CountAsync(ct);
        var alerts = await db.Alerts.AsNoTracking().OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Skip(skip).Take(take)
            .Select(a => new
            {
                a.Id, a.Kind, a.Title, a.Text, a.LinkPath, a.Link, a.EventCount, a.IsSummary, a.CreatedAt,
                Deliveries = a.Deliveries.OrderBy(d => d.ChannelId).Join(db.AlertChannels, d => d.ChannelId, c => c.Id, (d, c) =>
                    new AlertDeliveryRow(c.Name, c.Type, d.Status, d.Attempts, d.LastError, d.LastAttemptAt, d.SentAt)).ToList(),
            }).ToListAsync(ct);
        return (alerts.Select(a => new AlertRow(a.Id, a.Kind, a.Title, a.Text, a.LinkPath, a.Link, a.EventCount, a.IsSummary, a.CreatedAt, a.Deliveries)).ToList(), total);
    }

    public async Task<IReadOnlyList<UnsentEventRow>> UnsentAsync(int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertEvents.AsNoTracking()
            .Where(e => e.State == AlertEventState.Held || e.State == AlertEventState.Muted || e.State == AlertEventState.Disabled || e.State == AlertEventState.NoChannel)
            .OrderByDescending(e => e.Id).Take(take)
            .Select(e => new UnsentEventRow(e.Id, e.Kind, e.Title, e.State, e.LinkPath, e.RecordedAt)).ToListAsync(ct);
    }
}
